using System.Collections.Concurrent;
using System.Diagnostics;
using ItemsApi.Core.Runtime;

namespace ItemsApi.Functions.Tests;

/// <summary>
/// A function running as Lambda's managed dotnet runtime runs it: a process of its own in which
/// Amazon.Lambda.RuntimeSupport (<see cref="Program"/>) loads the handler string's assembly, takes events from a
/// <see cref="FakeLambdaRuntimeApi"/> and writes the function's log lines to standard output in the format
/// <c>AWS_LAMBDA_LOG_FORMAT</c> names (<c>Text</c> or <c>JSON</c>, as the function's LoggingConfig sets it).
/// </summary>
public sealed class LambdaRuntimeProcess : IAsyncDisposable
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);

    /// <summary>Variables that change how the runtime logs or runs; a developer's shell must not leak them in.</summary>
    private static readonly string[] RuntimeVariables =
    [
        "AWS_LAMBDA_LOG_LEVEL", "AWS_LAMBDA_HANDLER_LOG_LEVEL", "AWS_LAMBDA_HANDLER_LOG_FORMAT", "LAMBDA_RUNTIMESUPPORT_DEBUG",
        "_LAMBDA_TELEMETRY_LOG_FD", "AWS_LAMBDA_MAX_CONCURRENCY", "AWS_LAMBDA_DOTNET_PROCESSING_TASKS",
        "AWS_LAMBDA_DOTNET_DEBUG_RUN_ONCE", "AWS_LAMBDA_DOTNET_PREJIT",
    ];

    /// <summary>The function's own variables: each test sets the ones it needs, none comes from the test process.</summary>
    private static readonly string[] FunctionVariables =
    [
        FunctionContract.TableNameVariable, FunctionContract.DynamoDbEndpointVariable, FunctionContract.CorsAllowedOriginsVariable,
        FunctionContract.CorsAllowedHeadersVariable, FunctionContract.PrimeOnInitVariable, FunctionContract.AuthorizerTokenHashesVariable,
    ];

    private readonly FakeLambdaRuntimeApi _api;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private LambdaRuntimeProcess(FakeLambdaRuntimeApi api, Process process)
    {
        _api = api;
        _process = process;
    }

    /// <param name="handler">The handler string, as the stack sets it (<see cref="FunctionContract"/>).</param>
    /// <param name="logFormat"><c>JSON</c> or <c>Text</c>.</param>
    /// <param name="environment">The function's variables (<see cref="FunctionContract"/>).</param>
    public static async Task<LambdaRuntimeProcess> StartAsync(string handler, string logFormat, IReadOnlyDictionary<string, string> environment)
    {
        FakeLambdaRuntimeApi api = await FakeLambdaRuntimeApi.StartAsync();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        start.ArgumentList.Add(handler);
        foreach (string name in RuntimeVariables.Concat(FunctionVariables)) start.Environment.Remove(name);
        // What Lambda sets in every execution environment (the function's name and region are this stack's kind).
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = api.HostAndPort;
        start.Environment["AWS_LAMBDA_LOG_FORMAT"] = logFormat;
        start.Environment["_HANDLER"] = handler;
        start.Environment["LAMBDA_TASK_ROOT"] = AppContext.BaseDirectory;
        start.Environment["AWS_EXECUTION_ENV"] = "AWS_Lambda_dotnet10";
        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = "items-api-dev";
        start.Environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
        start.Environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "512";
        start.Environment["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand";
        start.Environment["AWS_REGION"] = "eu-west-1";
        foreach ((string name, string value) in environment) start.Environment[name] = value;

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
        var lambda = new LambdaRuntimeProcess(api, process);
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) lambda._lines.Enqueue(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) lambda._lines.Enqueue(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return lambda;
    }

    /// <summary>
    /// Invokes the function with an event, under a fresh Lambda request id and X-Ray trace id, and returns what it
    /// posted back. Fails with the process's output if the process ends first (an init error, say).
    /// </summary>
    public async Task<InvocationResult> InvokeAsync(string eventJson)
    {
        string requestId = Guid.NewGuid().ToString();
        string traceId = $"Root=1-{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x8}-{Hex(24)};Parent={Hex(16)};Sampled=0";
        Task<InvocationResult> result = _api.InvokeAsync(requestId, traceId, eventJson);
        Task exited = _process.WaitForExitAsync();
        if (await Task.WhenAny(result, exited, Task.Delay(WaitLimit)) != result)
            throw new InvalidOperationException($"No answer to {requestId}; the runtime process wrote:\n{string.Join("\n", _lines)}");
        return await result;
    }

    /// <summary>
    /// Ends the process, as Lambda ends an idle environment (a runtime never exits by itself: it waits for the next
    /// event), and returns every line it wrote to standard output and standard error.
    /// </summary>
    public async Task<IReadOnlyList<string>> StopAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        // Also waits until the redirected output has been read to its end.
        await _process.WaitForExitAsync().WaitAsync(WaitLimit);
        return [.. _lines];
    }

    private static string Hex(int length) => Guid.NewGuid().ToString("N")[..length];

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _process.Dispose();
            await _api.DisposeAsync();
        }
    }
}
