using System.Diagnostics;
using System.Net;
using System.Text;
using ItemsApi.Core.Http;
using ItemsApi.Core.Routes;
using ItemsApi.Core.Runtime;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.DeployTime.OpenApi;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace ItemsApi.LocalGateway;

/// <summary>
/// A local stand-in for the deployed API Gateway stage: the stage path prefix, API key, usage plan
/// throttle and quota, the TOKEN authorizer's check, request body validation, CORS and access logs,
/// in front of the same request handler the Lambda function runs. This file starts the host and passes each
/// request through; the store and its DynamoDB server live in <see cref="StageStore"/>, the checks in
/// <see cref="LocalGatewayChecks"/>, the access log in <see cref="LocalAccessLog"/>.
/// </summary>
public sealed class LocalApiGateway : IAsyncDisposable
{
    private readonly LocalGatewayOptions _options;
    private readonly StageStore _store;
    private readonly ItemsApiHandler _handler;
    private readonly WebApplication _app;
    private readonly GatewayPolicy _policy;
    private readonly RouteSet _routes;
    private readonly LocalGatewayChecks _checks;
    private readonly LocalAccessLog _accessLog;

    private LocalApiGateway(LocalGatewayOptions options, StageStore store, ItemsApiHandler handler, WebApplication app)
    {
        _options = options;
        _store = store;
        _handler = handler;
        _app = app;
        _policy = GatewayPolicy.For(options.Stage);
        _routes = new RouteSet(options.Routes);
        _checks = new LocalGatewayChecks(options, _policy, _routes);
        _accessLog = new LocalAccessLog(options.AccessLog, options.Clock);
    }

    /// <summary>http://127.0.0.1:port</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The stage's invoke URL, as <c>pulumi stack output url</c> gives it for the deployed stage.</summary>
    public string ItemsUrl => $"{BaseUrl.ToString().TrimEnd('/')}/{_options.Stage.StageName}{RouteTable.ItemsPath}";

    /// <summary>The API reference page, swagger-ui on the OpenAPI document (<see cref="ApiReferencePage"/>).</summary>
    public string DocsUrl => BaseUrl.ToString().TrimEnd('/') + ApiReferencePage.Path;

    /// <summary>The DynamoDB endpoint behind the store, or null when the options gave a store.</summary>
    public string? DynamoDbEndpoint => _store.DynamoDbEndpoint;

    public static async Task<LocalApiGateway> StartAsync(LocalGatewayOptions options, CancellationToken cancellationToken = default)
    {
        StageStore store = await StageStore.OpenAsync(options, cancellationToken);
        try
        {
            var handler = new ItemsApiHandler(store.Store, GatewayPolicy.For(options.Stage).Cors, entry => options.ErrorLog.WriteLine(entry.Render()),
                TimeSpan.FromHours(options.Stage.IdempotencyWindowHours));

            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(IPAddress.Loopback, options.Port);
                kestrel.Limits.MaxRequestBodySize = GatewayPolicy.MaxPayloadBytes;
            });
            WebApplication app = builder.Build();

            var gateway = new LocalApiGateway(options, store, handler, app);
            // First, before the docs page (which embeds the key), the document and every other check.
            app.Use(gateway.RefuseForeignHostAsync);
            ApiReferencePage.Use(app, options);
            app.Run(gateway.HandleAsync);
            await app.StartAsync(cancellationToken);
            string address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            gateway.BaseUrl = new Uri(address);
            return gateway;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Completes when the host is asked to stop (Ctrl-C, SIGTERM): null. Or when the DynamoDB server it started dies,
    /// after which every request would fail: then it returns what to tell the user, once, including what data survives.
    /// </summary>
    public async Task<string?> WaitUntilStoppedAsync()
    {
        Task shutdown = _app.WaitForShutdownAsync();
        return await Task.WhenAny(shutdown, _store.Died) == shutdown ? null : _store.DiedMessage();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _store.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var entry = new AccessLogEntry(Guid.NewGuid().ToString(), Stopwatch.GetTimestamp());

        ApiResponse response;
        try
        {
            response = await RespondAsync(http, entry);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _options.ErrorLog.WriteLine($"local gateway: {exception}");
            response = GatewayError(entry, GatewayAnswer.InternalServerError);
        }
        await WriteAsync(http, entry, response);
    }

    /// <summary>
    /// Refuses a request whose <c>Host</c> is not a loopback name (<see cref="LoopbackHost"/>) with 400, so a page that
    /// rebinds its DNS name to 127.0.0.1 can read nothing here; passes any other request on.
    /// </summary>
    private async Task RefuseForeignHostAsync(HttpContext http, RequestDelegate next)
    {
        if (LoopbackHost.IsLoopback(http.Request.Host))
        {
            await next(http);
            return;
        }
        var entry = new AccessLogEntry(Guid.NewGuid().ToString(), Stopwatch.GetTimestamp());
        await WriteAsync(http, entry, GatewayError(entry, LoopbackHost.Refused));
    }

    private async Task WriteAsync(HttpContext http, AccessLogEntry entry, ApiResponse response)
    {
        byte[] body = response.Body is null ? [] : Encoding.UTF8.GetBytes(response.Body);
        http.Response.StatusCode = response.StatusCode;
        foreach ((string name, string value) in response.Headers) http.Response.Headers[name] = value;
        http.Response.Headers["x-amzn-RequestId"] = entry.RequestId;
        // Logged before the body goes out, so a client that has its answer can already find the line.
        _accessLog.Write(http, entry, response.StatusCode, body.Length);
        if (body.Length > 0) await http.Response.Body.WriteAsync(body);
    }

    private async Task<ApiResponse> RespondAsync(HttpContext http, AccessLogEntry entry)
    {
        HttpRequest request = http.Request;
        string rawTarget = http.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        string rawPath = rawTarget.Split('?', 2)[0];

        if (request.Method == "GET" && rawPath == "/openapi.json")
            return new ApiResponse
            {
                StatusCode = 200,
                Body = OpenApiDocument.ToJson(_policy, OpenApiDocument.Server($"{BaseUrl.ToString().TrimEnd('/')}/{_options.Stage.StageName}"), _routes.All),
                Headers = { ["Content-Type"] = "application/json" },
            };

        RequestBody body = await RequestBody.ReadAsync(request);
        // Everything else lives under the stage, like https://{api}.execute-api.{region}.amazonaws.com/{stage}/...
        string stagePrefix = "/" + _options.Stage.StageName;
        string path = rawPath.StartsWith(stagePrefix + "/", StringComparison.Ordinal) ? rawPath[stagePrefix.Length..] : "";
        RouteMatch match = path.Length > 0 ? _routes.Match(request.Method, path) : RouteMatch.NotFound;

        // With CORS on, the stage has an OPTIONS method on every path, without key or authorizer, answered by API Gateway
        // itself (a MOCK integration, DeployTime/Gateway/CorsPreflight): the function is not called.
        bool preflight = request.Method == "OPTIONS" && match.IsKnownPath && _policy.Cors.IsEnabled;
        if (_checks.Refusal(request, body, match, preflight, entry) is { } refused) return GatewayError(entry, refused);

        if (preflight)
        {
            entry.ResourcePath = match.PathTemplate;
            // The answer the stage's mapping template is generated from, for this request's Origin.
            return _policy.Cors.Preflight(request.Headers.Origin.Count > 0 ? request.Headers.Origin.ToString() : null, match.AllowedMethods);
        }
        return await IntegrateAsync(entry, new ApiRequest
        {
            Method = request.Method,
            Path = path,
            Match = match,
            PublicPath = stagePrefix + path,
            Query = request.Query.ToDictionary(q => q.Key, q => q.Value.LastOrDefault() ?? ""),
            Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            Body = body.Text,
            IsBase64Encoded = body.IsBase64,
            RequestId = entry.RequestId,
        });
    }

    /// <summary>
    /// The Lambda proxy integration: the function's answer, timed for the access log. The function's deadline is the stage's
    /// lambdaTimeoutSeconds less the margin the function keeps (as ItemsFunction derives it); a client that hangs up does
    /// not cancel it, as it does not cancel a Lambda invocation.
    /// </summary>
    private async Task<ApiResponse> IntegrateAsync(AccessLogEntry entry, ApiRequest request)
    {
        long started = Stopwatch.GetTimestamp();
        using var deadline = new CancellationTokenSource(RequestDeadline.Budget(TimeSpan.FromSeconds(_options.Stage.LambdaTimeoutSeconds)));
        ApiResponse response = await _handler.HandleAsync(request, deadline.Token);
        entry.IntegrationLatency = Stopwatch.GetElapsedTime(started);
        entry.IntegrationStatus = response.StatusCode;
        return response;
    }

    /// <summary>An answer API Gateway itself gives (a gateway response): only a message, plus CORS headers.</summary>
    private ApiResponse GatewayError(AccessLogEntry entry, GatewayAnswer answer)
    {
        entry.ErrorMessage = answer.Message;
        entry.ErrorResponseType = answer.ResponseType;
        var response = new ApiResponse { StatusCode = answer.Status, Body = answer.Body };
        response.Headers["Content-Type"] = "application/json";
        response.Headers["x-amzn-ErrorType"] = answer.ResponseType;
        _policy.Cors.ApplyToGatewayResponse(response);
        return response;
    }
}
