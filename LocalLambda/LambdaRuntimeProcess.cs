using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ItemsApi.Core.Runtime;

namespace ItemsApi.LocalLambda;

/// <summary>
/// A function running as Lambda runs it: a process of its own (<see cref="FunctionLaunch"/>: the managed runtime's way
/// or a native bootstrap) that takes events from a <see cref="LambdaRuntimeApi"/> and writes the function's log lines
/// to standard output in the format <c>AWS_LAMBDA_LOG_FORMAT</c> names (<c>Text</c> or <c>JSON</c>, as the function's
/// LoggingConfig sets it).
/// </summary>
public sealed class LambdaRuntimeProcess : IAsyncDisposable
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);

    /// <summary>Variables that change how the runtime logs or runs; a developer's shell must not leak them in.</summary>
    private static readonly string[] RuntimeVariables =
    [
        "AWS_LAMBDA_LOG_LEVEL", "AWS_LAMBDA_HANDLER_LOG_LEVEL", "AWS_LAMBDA_HANDLER_LOG_FORMAT", "LAMBDA_RUNTIMESUPPORT_DEBUG",
        "_LAMBDA_TELEMETRY_LOG_FD", "AWS_LAMBDA_MAX_CONCURRENCY", "AWS_LAMBDA_DOTNET_PROCESSING_TASKS",
        "AWS_LAMBDA_DOTNET_DEBUG_RUN_ONCE", "AWS_LAMBDA_DOTNET_PREJIT", "AWS_EXECUTION_ENV",
    ];

    /// <summary>The function's own variables: each caller sets the ones it needs, none comes from this process.</summary>
    private static readonly string[] FunctionVariables =
    [
        FunctionContract.TableNameVariable, FunctionContract.DynamoDbEndpointVariable, FunctionContract.CorsAllowedOriginsVariable,
        FunctionContract.CorsAllowedHeadersVariable, FunctionContract.PrimeOnInitVariable, FunctionContract.AuthorizerTokenHashesVariable,
    ];

    private readonly LambdaRuntimeApi _api;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private readonly Task<InvocationResult>? _first;

    private LambdaRuntimeProcess(LambdaRuntimeApi api, Process process, long startedAt, Task<InvocationResult>? first)
    {
        _api = api;
        _process = process;
        StartedAt = startedAt;
        _first = first;
    }

    /// <summary>When the process was started (a <see cref="Stopwatch"/> timestamp).</summary>
    public long StartedAt { get; }

    /// <summary>When the function's init was over: it asked the Runtime API for its first event. 0: not yet.</summary>
    public long InitDoneAt => _api.FirstEventRequestedAt;

    /// <param name="launch">How Lambda starts the function (<see cref="FunctionLaunch"/>).</param>
    /// <param name="logFormat"><c>JSON</c> or <c>Text</c>.</param>
    /// <param name="environment">The function's variables (<see cref="FunctionContract"/>) and any runtime setting to try.</param>
    /// <param name="firstEvent">An event already waiting when the process starts, as on a cold invoke; its answer is <see cref="FirstInvocation"/>.</param>
    public static async Task<LambdaRuntimeProcess> StartAsync(FunctionLaunch launch, string logFormat, IReadOnlyDictionary<string, string> environment,
        string? firstEvent = null)
    {
        LambdaRuntimeApi api = await LambdaRuntimeApi.StartAsync();
        var start = new ProcessStartInfo(launch.FileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in launch.Arguments) start.ArgumentList.Add(argument);
        foreach (string name in RuntimeVariables.Concat(FunctionVariables)) start.Environment.Remove(name);
        // What Lambda sets in every execution environment (the function's name and region are this stack's kind).
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = api.HostAndPort;
        start.Environment["AWS_LAMBDA_LOG_FORMAT"] = logFormat;
        start.Environment["_HANDLER"] = launch.Handler;
        start.Environment["LAMBDA_TASK_ROOT"] = launch.TaskRoot;
        if (launch.ExecutionEnvironment is { } executionEnvironment) start.Environment["AWS_EXECUTION_ENV"] = executionEnvironment;
        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = "items-api-dev";
        start.Environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
        start.Environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "256";
        start.Environment["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand";
        start.Environment["AWS_REGION"] = "eu-west-1";
        foreach ((string name, string value) in environment) start.Environment[name] = value;

        Task<InvocationResult>? first = firstEvent is null ? null : api.InvokeAsync(Guid.NewGuid().ToString(), TraceId(), firstEvent);
        Process process;
        long startedAt = Stopwatch.GetTimestamp();
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {launch.FileName}.");
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
        var lambda = new LambdaRuntimeProcess(api, process, startedAt, first);
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) lambda._lines.Enqueue(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) lambda._lines.Enqueue(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return lambda;
    }

    /// <summary>The answer to the event queued before the process started.</summary>
    public Task<InvocationResult> FirstInvocation => WaitAsync(_first ?? throw new InvalidOperationException("Started without a first event."), "the first event");

    /// <summary>
    /// Invokes the function with an event, under a fresh Lambda request id and X-Ray trace id, and returns what it
    /// posted back. Fails with the process's output if the process ends first (an init error, say).
    /// </summary>
    /// <param name="timeout">The function's timeout for this event, as the Runtime API's deadline header tells it; null: 30 s.</param>
    public Task<InvocationResult> InvokeAsync(string eventJson, TimeSpan? timeout = null)
    {
        string requestId = Guid.NewGuid().ToString();
        return WaitAsync(_api.InvokeAsync(requestId, TraceId(), eventJson, timeout), requestId);
    }

    private async Task<InvocationResult> WaitAsync(Task<InvocationResult> result, string what)
    {
        Task exited = _process.WaitForExitAsync();
        if (await Task.WhenAny(result, exited, Task.Delay(WaitLimit)) != result)
            throw new InvalidOperationException($"No answer to {what}; the runtime process wrote:\n{string.Join("\n", _lines)}");
        return await result;
    }

    /// <summary>The most memory the process has held so far (VmHWM, Linux), in KB; 0 where the OS does not say.</summary>
    public long PeakMemoryKb()
    {
        string status = $"/proc/{_process.Id}/status";
        if (!File.Exists(status)) return 0;
        foreach (string line in File.ReadLines(status))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return 0;
    }

    /// <summary>The CPU time the process has used so far (user + system, Linux), in ms; 0 where the OS does not say.</summary>
    public double CpuTimeMs()
    {
        string stat = $"/proc/{_process.Id}/stat";
        if (!File.Exists(stat)) return 0;
        // Fields 14 and 15 (utime, stime) in clock ticks, counted after the command name, which may hold spaces.
        string[] fields = File.ReadAllText(stat).Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * 1000.0 / ClockTicksPerSecond;
    }

    /// <summary>Linux's USER_HZ, which /proc reports CPU times in: 100 on every mainstream architecture.</summary>
    private const double ClockTicksPerSecond = 100;

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

    private static string TraceId() =>
        $"Root=1-{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x8}-{Hex(24)};Parent={Hex(16)};Sampled=0";

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
