using System.Collections.Concurrent;
using System.Net;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ItemsApi.TestKit.Faults;

/// <summary>One call the proxy saw: the DynamoDB operation and the fault it applied (null: passed on untouched).</summary>
public sealed record ProxiedCall(string Operation, DynamoDbFault? Fault);

/// <summary>
/// A DynamoDB endpoint that passes calls on to a real DynamoDB-compatible server (dynalite) and, by rule, answers
/// DynamoDB's throttling and 5xx errors, delays, or drops the connection instead. Point the function's DynamoDB client at
/// <see cref="Endpoint"/>; the SDK then meets the faults exactly where it would meet them on AWS: on the wire.
/// The first rule that matches a call and has uses left applies; calls with no matching rule pass untouched.
/// </summary>
public sealed class FaultyDynamoDbProxy : IAsyncDisposable
{
    // The DynamoDB JSON protocol names the operation in this header: DynamoDB_20120810.PutItem.
    private const string TargetHeader = "X-Amz-Target";

    private readonly WebApplication _host;
    private readonly HttpClient _upstream;
    private readonly Lock _gate = new();
    private readonly List<RuleState> _rules = [];
    private readonly Random _random;
    private readonly ConcurrentQueue<ProxiedCall> _calls = new();

    private FaultyDynamoDbProxy(WebApplication host, Uri upstream, int seed)
    {
        _host = host;
        _upstream = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { BaseAddress = upstream };
        _random = new Random(seed);
    }

    /// <summary>The endpoint URL to give the SDK, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>Every call so far, in arrival order.</summary>
    public IReadOnlyList<ProxiedCall> Calls => [.. _calls];

    /// <param name="upstreamEndpoint">The real server's endpoint (a <c>LocalDynamoDbServer</c>'s).</param>
    /// <param name="seed">Seeds the draws of rules with a probability below 1, so a run repeats.</param>
    public static async Task<FaultyDynamoDbProxy> StartAsync(string upstreamEndpoint, int seed = 1)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        builder.Services.AddRoutingCore();
        builder.Logging.ClearProviders();
        WebApplication host = builder.Build();

        var proxy = new FaultyDynamoDbProxy(host, new Uri(upstreamEndpoint), seed);
        host.Run(proxy.HandleAsync);
        await host.StartAsync().ConfigureAwait(false);
        proxy.Endpoint = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return proxy;
    }

    /// <summary>
    /// A client of this endpoint that makes one attempt per call (no retries of its own), so each call meets exactly one
    /// rule. Dropped connections are the exception: the SDK resends those whatever MaxErrorRetry says.
    /// </summary>
    public AmazonDynamoDBClient SingleAttemptClient() => new(new BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig
    {
        ServiceURL = Endpoint,
        AuthenticationRegion = "us-east-1",
        MaxErrorRetry = 0,
        Timeout = TimeSpan.FromSeconds(2),
    });

    /// <summary>Adds a rule after those already set.</summary>
    public void Inject(FaultRule rule)
    {
        lock (_gate) _rules.Add(new RuleState(rule, rule.Times));
    }

    /// <summary>Removes every rule: from now on calls pass untouched.</summary>
    public void ClearFaults()
    {
        lock (_gate) _rules.Clear();
    }

    private DynamoDbFault? TakeFault(string operation)
    {
        lock (_gate)
        {
            foreach (RuleState state in _rules)
            {
                if (state.Left == 0 || !state.Rule.Matches(operation)) continue;
                if (state.Rule.Probability < 1.0 && _random.NextDouble() >= state.Rule.Probability) continue;
                state.Left--;
                return state.Rule.Fault;
            }
            return null;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        string target = context.Request.Headers[TargetHeader].ToString();
        string operation = target[(target.IndexOf('.') + 1)..];
        DynamoDbFault? fault = TakeFault(operation);
        _calls.Enqueue(new ProxiedCall(operation, fault));
        CancellationToken aborted = context.RequestAborted;

        switch (fault)
        {
            case DynamoDbFault.ErrorAnswer error:
                await WriteErrorAsync(context, error).ConfigureAwait(false);
                return;
            case DynamoDbFault.Drop { AfterForwarding: false }:
                context.Abort();
                return;
            case DynamoDbFault.Delay { AfterForwarding: false } delay:
                if (!await WaitAsync(delay.Duration, aborted).ConfigureAwait(false)) return;
                break;
        }

        // Passed on whatever the caller does next: a write that reached the server has happened, as on AWS.
        using HttpResponseMessage answer = await ForwardAsync(context.Request).ConfigureAwait(false);
        byte[] body = await answer.Content.ReadAsByteArrayAsync(CancellationToken.None).ConfigureAwait(false);

        switch (fault)
        {
            case DynamoDbFault.Drop { AfterForwarding: true }:
                context.Abort();
                return;
            case DynamoDbFault.Delay { AfterForwarding: true } delay:
                if (!await WaitAsync(delay.Duration, aborted).ConfigureAwait(false)) return;
                break;
        }

        context.Response.StatusCode = (int)answer.StatusCode;
        foreach ((string name, IEnumerable<string> values) in answer.Headers.Concat(answer.Content.Headers))
            if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) context.Response.Headers[name] = values.ToArray();
        await context.Response.Body.WriteAsync(body, aborted).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> ForwardAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, CancellationToken.None).ConfigureAwait(false);
        var forward = new HttpRequestMessage(new HttpMethod(request.Method), request.Path + request.QueryString)
        {
            Content = new ByteArrayContent(buffer.ToArray()),
        };
        foreach ((string name, Microsoft.Extensions.Primitives.StringValues values) in request.Headers)
        {
            // Host names the proxy; the client sets the upstream's. Content headers belong to the content.
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase)) continue;
            if (!forward.Headers.TryAddWithoutValidation(name, values.ToArray()))
                forward.Content.Headers.TryAddWithoutValidation(name, values.ToArray());
        }
        return await _upstream.SendAsync(forward, CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task WriteErrorAsync(HttpContext context, DynamoDbFault.ErrorAnswer error)
    {
        context.Response.StatusCode = (int)error.Status;
        context.Response.ContentType = "application/x-amz-json-1.0";
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString("N").ToUpperInvariant();
        await context.Response.WriteAsJsonAsync(new ErrorBody(error.Type, error.Message), FaultJsonContext.Default.ErrorBody,
            contentType: "application/x-amz-json-1.0", context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>False when the caller gave up while waiting.</summary>
    private static async Task<bool> WaitAsync(TimeSpan duration, CancellationToken aborted)
    {
        try
        {
            await Task.Delay(duration, aborted).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync().ConfigureAwait(false);
        await _host.DisposeAsync().ConfigureAwait(false);
        _upstream.Dispose();
    }

    private sealed class RuleState(FaultRule rule, int left)
    {
        public FaultRule Rule { get; } = rule;
        public int Left { get; set; } = left;
    }
}

internal sealed record ErrorBody(
    [property: System.Text.Json.Serialization.JsonPropertyName("__type")] string Type,
    [property: System.Text.Json.Serialization.JsonPropertyName("message")] string Message);

[System.Text.Json.Serialization.JsonSerializable(typeof(ErrorBody))]
internal sealed partial class FaultJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
