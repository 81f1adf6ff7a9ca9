using Amazon.Lambda.RuntimeSupport;

namespace ItemsApi.Functions.Tests;

/// <summary>
/// This assembly's entry point, used only when <see cref="LocalLambda.LambdaRuntimeProcess"/> starts it as a child process
/// (the test runner loads the assembly as a library and never calls it). It does what the managed dotnet runtime's
/// own entry point does: hand the handler string to Amazon.Lambda.RuntimeSupport, whose bootstrap loads the function,
/// takes events from the Runtime API in <c>AWS_LAMBDA_RUNTIME_API</c> and redirects the console to its logger.
/// </summary>
public static class Program
{
    public static Task Main(string[] args) => new RuntimeSupportInitializer(args[0]).RunLambdaBootstrap();
}
