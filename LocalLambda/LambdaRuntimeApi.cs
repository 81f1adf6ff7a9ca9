using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ItemsApi.LocalLambda;

/// <summary>
/// Lambda's Runtime API (version 2018-06-01) on a free loopback port, as the runtime inside an execution environment
/// sees it: <c>GET /runtime/invocation/next</c> hands out queued events with the invocation headers and waits while
/// there are none; <c>/response</c> and <c>/error</c> record what the function answered, and when.
/// </summary>
public sealed class LambdaRuntimeApi : IAsyncDisposable
{
    public const string FunctionArn = "arn:aws:lambda:eu-west-1:123456789012:function:items-api-dev";
    private const string Prefix = "/2018-06-01/runtime/";

    /// <summary>The function's time for an event unless the caller gives another: its deadline header is this far ahead when the event is handed out.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly Channel<(string RequestId, string TraceId, string Event, TimeSpan Timeout)> _events =
        Channel.CreateUnbounded<(string, string, string, TimeSpan)>();
    private readonly ConcurrentDictionary<string, (string TraceId, TaskCompletionSource<InvocationResult> Result)> _invocations = new();
    private readonly WebApplication _app;

    private LambdaRuntimeApi(WebApplication app, string hostAndPort)
    {
        _app = app;
        HostAndPort = hostAndPort;
    }

    /// <summary>What <c>AWS_LAMBDA_RUNTIME_API</c> holds: <c>127.0.0.1:port</c>.</summary>
    public string HostAndPort { get; }

    /// <summary>When the runtime first asked for an event (a <see cref="Stopwatch"/> timestamp): its init was over. 0: not yet.</summary>
    public long FirstEventRequestedAt { get; private set; }

    public static async Task<LambdaRuntimeApi> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        LambdaRuntimeApi? api = null;
        app.Run(http => api!.HandleAsync(http));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        api = new LambdaRuntimeApi(app, new Uri(address).Authority);
        return api;
    }

    /// <summary>Queues an event; the task completes when the function posts its response or error for it.</summary>
    /// <param name="timeout">The function's timeout for this event (<c>Lambda-Runtime-Deadline-Ms</c>); null: <see cref="DefaultTimeout"/>.</param>
    public Task<InvocationResult> InvokeAsync(string requestId, string traceId, string eventJson, TimeSpan? timeout = null)
    {
        var result = new TaskCompletionSource<InvocationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _invocations[requestId] = (traceId, result);
        _events.Writer.TryWrite((requestId, traceId, eventJson, timeout ?? DefaultTimeout));
        return result.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        string path = http.Request.Path.Value ?? "";
        string[] parts = path.StartsWith(Prefix, StringComparison.Ordinal) ? path[Prefix.Length..].Split('/') : [];
        switch (http.Request.Method, parts)
        {
            case ("GET", ["invocation", "next"]):
                await NextAsync(http);
                break;
            case ("POST", ["invocation", string requestId, "response" or "error"]) when _invocations.TryGetValue(requestId, out var invocation):
                long answeredAt = Stopwatch.GetTimestamp();
                string body = await new StreamReader(http.Request.Body).ReadToEndAsync();
                string? errorType = parts[2] == "error" ? http.Request.Headers["Lambda-Runtime-Function-Error-Type"].ToString() : null;
                invocation.Result.TrySetResult(new InvocationResult(requestId, invocation.TraceId, body, errorType, answeredAt));
                await AcceptedAsync(http);
                break;
            default:
                // An init error, or a call this fake does not know: the test sees it in the process's output.
                await AcceptedAsync(http);
                break;
        }
    }

    /// <summary>The real API's answer to a posted response or error; the runtime parses the body of an error's.</summary>
    private static Task AcceptedAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status202Accepted;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync("""{"status":"OK"}""");
    }

    /// <summary>Waits for an event, like the real API, and sends it with the headers the runtime reads.</summary>
    private async Task NextAsync(HttpContext http)
    {
        if (FirstEventRequestedAt == 0) FirstEventRequestedAt = Stopwatch.GetTimestamp();
        (string requestId, string traceId, string eventJson, TimeSpan timeout) = await _events.Reader.ReadAsync(http.RequestAborted);
        http.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = requestId;
        http.Response.Headers["Lambda-Runtime-Deadline-Ms"] =
            DateTimeOffset.UtcNow.Add(timeout).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = FunctionArn;
        http.Response.Headers["Lambda-Runtime-Trace-Id"] = traceId;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(eventJson);
    }
}
