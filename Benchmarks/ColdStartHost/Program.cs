using Amazon.Lambda.RuntimeSupport;

// What Lambda's managed dotnet10 runtime runs: its entry point hands the handler string to Amazon.Lambda.RuntimeSupport,
// which loads ItemsApi.Functions from LAMBDA_TASK_ROOT (this folder), constructs the function and takes events from
// the Runtime API in AWS_LAMBDA_RUNTIME_API. The cold-start benchmark publishes this host portable and ReadyToRun.
return await RunAsync(args[0]);

static async Task<int> RunAsync(string handler)
{
    await new RuntimeSupportInitializer(handler).RunLambdaBootstrap();
    return 0;
}
