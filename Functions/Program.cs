using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using Amazon.Lambda.RuntimeSupport;
using Amazon.Lambda.Serialization.SystemTextJson;
using ItemsApi.Core.Runtime;

namespace ItemsApi.Functions;

/// <summary>
/// The native executable's entry point (functionBuild nativeAot, runtime provided.al2023). Lambda starts
/// <c>bootstrap</c> with the function's handler string in <c>_HANDLER</c>; Main runs that function under
/// Amazon.Lambda.RuntimeSupport's Runtime API loop with the source-generated serializer. Both functions share one
/// binary: one Native AOT compile per `pulumi up` instead of two, and one package, as with the managed build.
/// The managed dotnet10 runtime never calls Main: it calls the handler methods itself.
/// </summary>
public static class Program
{
    public static async Task<int> Main()
    {
        string handler = Environment.GetEnvironmentVariable("_HANDLER") ?? "";
        switch (handler)
        {
            case FunctionContract.ItemsEntryPoint:
                await RunAsync<ItemsFunction, APIGatewayProxyRequest, APIGatewayProxyResponse>(
                    () => new ItemsFunction(), (function, request, context) => function.HandleAsync(request, context));
                return 0;
            case FunctionContract.AuthorizerEntryPoint:
                await RunAsync<AuthorizerFunction, APIGatewayCustomAuthorizerRequest, APIGatewayCustomAuthorizerResponse>(
                    () => new AuthorizerFunction(), (function, request, context) => Task.FromResult(function.Handle(request, context)));
                return 0;
            default:
                await Console.Error.WriteLineAsync($"Unknown handler '{handler}': set the function's handler to " +
                                                   $"'{FunctionContract.ItemsEntryPoint}' or '{FunctionContract.AuthorizerEntryPoint}'.");
                return 1;
        }
    }

    /// <summary>
    /// Takes events from the Runtime API until Lambda ends the process. The function is constructed in the bootstrap's
    /// init step, as the managed runtime constructs it: an exception there is reported to Lambda as an init error, and
    /// what the constructor logs goes through Lambda's logger.
    /// </summary>
    private static async Task RunAsync<TFunction, TRequest, TResponse>(Func<TFunction> create,
        Func<TFunction, TRequest, ILambdaContext, Task<TResponse>> handle) where TFunction : class
    {
        TFunction? function = null;
        await LambdaBootstrapBuilder
            .Create<TRequest, TResponse>((request, context) => handle(function!, request, context),
                new SourceGeneratorLambdaJsonSerializer<LambdaJsonContext>())
            .UseBootstrapHandler(() =>
            {
                function = create();
                return Task.FromResult(true);
            })
            .Build()
            .RunAsync();
    }
}
