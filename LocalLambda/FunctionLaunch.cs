namespace ItemsApi.LocalLambda;

/// <summary>How Lambda starts a function's process, for one runtime.</summary>
/// <param name="FileName">The program to start.</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="TaskRoot">Where the function's code is: <c>LAMBDA_TASK_ROOT</c>.</param>
/// <param name="Handler">The function's handler string: <c>_HANDLER</c>.</param>
/// <param name="ExecutionEnvironment"><c>AWS_EXECUTION_ENV</c>: set by managed runtimes, not by OS-only ones.</param>
public sealed record FunctionLaunch(string FileName, IReadOnlyList<string> Arguments, string TaskRoot, string Handler, string? ExecutionEnvironment)
{
    /// <summary>
    /// The managed dotnet10 runtime: a .NET host whose entry point hands the handler string to
    /// Amazon.Lambda.RuntimeSupport (<c>RuntimeSupportInitializer</c>), which loads the function's assembly from the
    /// task root and calls the handler method.
    /// </summary>
    public static FunctionLaunch Managed(string hostAssembly, string handler) =>
        new("dotnet", [hostAssembly, handler], Path.GetDirectoryName(hostAssembly)!, handler, "AWS_Lambda_dotnet10");

    /// <summary>
    /// An OS-only runtime (provided.al2023): Lambda starts the package's <c>bootstrap</c>, with the handler string in
    /// <c>_HANDLER</c>. <paramref name="emulator"/> (qemu-aarch64 with its arguments, say) runs a binary for another processor.
    /// </summary>
    public static FunctionLaunch Native(string bootstrap, string handler, string[]? emulator = null) => emulator is [string program, .. string[] options]
        ? new(program, [.. options, bootstrap], Path.GetDirectoryName(bootstrap)!, handler, null)
        : new(bootstrap, [], Path.GetDirectoryName(bootstrap)!, handler, null);
}
