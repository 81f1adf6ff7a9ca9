using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ItemsApi.Core.Auth;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.Core.Http;
using ItemsApi.Core.Items;
using ItemsApi.DeployTime.OpenApi;
using ItemsApi.Core.Routes;
using ItemsApi.Core.Runtime;
using ItemsApi.DeployTime.Settings;
using ItemsApi.LocalDynamoDb;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace ItemsApi.LocalGateway;

/// <summary>
/// A local stand-in for the deployed API Gateway stage: the stage path prefix, API key, usage plan
/// throttle and quota, the TOKEN authorizer's check, request body validation, CORS and access logs,
/// in front of the same request handler the Lambda function runs.
/// </summary>
public sealed class LocalApiGateway : IAsyncDisposable
{
    private const string ApiKeyId = "local-api-key";

    private readonly LocalGatewayOptions _options;
    /// <summary>The DynamoDB server behind the store; null when the options gave a store.</summary>
    private readonly LocalDynamoDbServer? _dynamoDb;
    private readonly ItemsApiHandler _handler;
    private readonly WebApplication _app;
    private readonly BearerTokenAuthorizer? _authorizer;
    private readonly GatewayPolicy _policy;
    private readonly CorsPolicy _cors;
    /// <summary>The stage throttle: one bucket per method, as API Gateway applies "*/*" method settings.</summary>
    private readonly Dictionary<Core.Routes.Route, TokenBucket> _methodThrottles;
    private readonly TokenBucket _usagePlanThrottle;
    private readonly Quota _quota;
    private readonly byte[] _apiKey;
    private readonly Lock _logGate = new();

    private LocalApiGateway(LocalGatewayOptions options, LocalDynamoDbServer? dynamoDb, ItemsApiHandler handler, WebApplication app)
    {
        _options = options;
        _dynamoDb = dynamoDb;
        _handler = handler;
        _app = app;
        StageSettings stage = options.Stage;
        _policy = GatewayPolicy.For(stage);
        _cors = _policy.Cors;
        _methodThrottles = RouteTable.All.ToDictionary(route => route, _ => new TokenBucket(_policy.MethodThrottle, options.Clock));
        _usagePlanThrottle = new TokenBucket(_policy.UsagePlanThrottle, options.Clock);
        _quota = new Quota(_policy.Quota, options.Clock);
        _apiKey = Encoding.UTF8.GetBytes(options.ApiKey);
        if (stage.AuthMode == AuthMode.ApiKeyAndAuthorizer)
        {
            IEnumerable<string> hashes = stage.AuthorizerTokenHashes;
            if (options.BearerToken is not null) hashes = hashes.Append(BearerTokenAuthorizer.HashToken(options.BearerToken));
            _authorizer = new BearerTokenAuthorizer(hashes);
        }
    }

    /// <summary>http://127.0.0.1:port</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The stage's invoke URL, as <c>pulumi stack output url</c> gives it for the deployed stage.</summary>
    public string ItemsUrl => $"{BaseUrl.ToString().TrimEnd('/')}/{_options.Stage.StageName}{RouteTable.ItemsPath}";

    /// <summary>The API reference page, swagger-ui on the OpenAPI document (<see cref="ApiReferencePage"/>).</summary>
    public string DocsUrl => BaseUrl.ToString().TrimEnd('/') + ApiReferencePage.Path;

    /// <summary>The DynamoDB endpoint behind the store, or null when the options gave a store.</summary>
    public string? DynamoDbEndpoint => _dynamoDb?.Endpoint;

    public static async Task<LocalApiGateway> StartAsync(LocalGatewayOptions options, CancellationToken cancellationToken = default)
    {
        LocalDynamoDbServer? dynamoDb = options.Store is null
            ? await LocalDynamoDbServer.StartAsync(options.DataDirectory, options.DynamoDbEndpoint, line => options.ErrorLog.WriteLine(line), cancellationToken)
            : null;
        try
        {
            IItemStore store = options.Store ?? await DynamoStoreAsync(dynamoDb!, options, cancellationToken);
            var handler = new ItemsApiHandler(store, GatewayPolicy.For(options.Stage).Cors, entry => options.ErrorLog.WriteLine(entry.Render()));

            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(IPAddress.Loopback, options.Port);
                kestrel.Limits.MaxRequestBodySize = GatewayPolicy.MaxPayloadBytes;
            });
            WebApplication app = builder.Build();

            var gateway = new LocalApiGateway(options, dynamoDb, handler, app);
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
            if (dynamoDb is not null) await dynamoDb.DisposeAsync();
            throw;
        }
    }

    private static async Task<IItemStore> DynamoStoreAsync(LocalDynamoDbServer dynamoDb, LocalGatewayOptions options, CancellationToken cancellationToken)
    {
        var client = ItemsApiFactory.CreateDynamoDbClient(dynamoDb.Endpoint);
        await ItemsTableSchema.EnsureExistsAsync(client, options.TableName, cancellationToken);
        return new DynamoItemStore(client, options.TableName, options.Clock);
    }

    /// <summary>
    /// Completes when the host is asked to stop (Ctrl-C, SIGTERM): null. Or when the DynamoDB server it started dies,
    /// after which every request would fail: then it returns what to tell the user, once, including what data survives.
    /// </summary>
    public async Task<string?> WaitUntilStoppedAsync()
    {
        Task shutdown = _app.WaitForShutdownAsync();
        if (_dynamoDb is null || await Task.WhenAny(shutdown, _dynamoDb.Died) == shutdown) return null;
        string what = $"DynamoDB (dynalite, process {_dynamoDb.ProcessId}) stopped unexpectedly, so the local stage stopped too: every request would have failed.";
        return _dynamoDb.DataDirectory is { } directory
            ? $"{what} Your data is in {directory}: every write that was answered is there (dynalite writes it to LevelDB's log before it answers; that survives a crashed process, not a crashed machine). Start again with the same --data-dir to go on."
            : $"{what} The items were in memory and are gone; start with --data-dir <dir> to keep them across restarts.";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_dynamoDb is not null) await _dynamoDb.DisposeAsync();
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
            response = GatewayError(entry, 500, "Internal server error", "DEFAULT_5XX");
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
        // DEFAULT_4XX: API Gateway's type for a 4xx it has no specific type for; a deployed stage has no such check.
        await WriteAsync(http, entry, GatewayError(entry, 400, LoopbackHost.RefusedMessage, "DEFAULT_4XX"));
    }

    private async Task WriteAsync(HttpContext http, AccessLogEntry entry, ApiResponse response)
    {
        byte[] body = response.Body is null ? [] : Encoding.UTF8.GetBytes(response.Body);
        http.Response.StatusCode = response.StatusCode;
        foreach ((string name, string value) in response.Headers) http.Response.Headers[name] = value;
        http.Response.Headers["x-amzn-RequestId"] = entry.RequestId;
        // Logged before the body goes out, so a client that has its answer can already find the line.
        WriteAccessLog(http, entry, response.StatusCode, body.Length);
        if (body.Length > 0) await http.Response.Body.WriteAsync(body);
    }

    private async Task<ApiResponse> RespondAsync(HttpContext http, AccessLogEntry entry)
    {
        HttpRequest request = http.Request;
        string rawTarget = http.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        string rawPath = rawTarget.Split('?', 2)[0];

        if (request.Method == "GET" && rawPath == "/openapi.json")
            return new ApiResponse { StatusCode = 200, Body = OpenApiDocument.ToJson(_policy, OpenApiDocument.Server($"{BaseUrl.ToString().TrimEnd('/')}/{_options.Stage.StageName}")), Headers = { ["Content-Type"] = "application/json" } };

        // The payload limit comes first: API Gateway refuses an oversized request before it looks at path, key or method.
        (string? body, bool base64, bool tooLarge) = await ReadBodyAsync(request);
        if (tooLarge) return GatewayError(entry, 413, "Request Too Long", "REQUEST_TOO_LARGE");

        // Everything else lives under the stage, like https://{api}.execute-api.{region}.amazonaws.com/{stage}/...
        string stagePrefix = "/" + _options.Stage.StageName;
        string path = rawPath.StartsWith(stagePrefix + "/", StringComparison.Ordinal) ? rawPath[stagePrefix.Length..] : "";
        RouteMatch match = path.Length > 0 ? RouteTable.Match(request.Method, path) : RouteMatch.NotFound;

        // With CORS on, the stage has an OPTIONS method on every path, without key or authorizer, proxied to the function.
        if (request.Method == "OPTIONS" && match.IsKnownPath && _cors.IsEnabled)
        {
            entry.ResourcePath = match.PathTemplate;
            return await IntegrateAsync(entry, new ApiRequest
            {
                Method = request.Method,
                Path = path,
                Match = match,
                PublicPath = stagePrefix + path,
                Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                RequestId = entry.RequestId,
            }, http.RequestAborted);
        }
        foreach (GatewayCheck check in _policy.Checks)
        {
            ApiResponse? refused = check switch
            {
                // API Gateway answers a path or method it does not have with 403, before any auth.
                GatewayCheck.RouteExists => match.IsFound ? null : GatewayError(entry, 403, "Missing Authentication Token", "MISSING_AUTHENTICATION_TOKEN"),
                GatewayCheck.Authorizer => _authorizer is null || _authorizer.Authorize(request.Headers.Authorization) is not null ? null
                    : Unauthorized(entry),
                GatewayCheck.ApiKey => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(request.Headers[_policy.ApiKeyHeader].ToString()), _apiKey)
                    ? null : GatewayError(entry, 403, "Forbidden", "INVALID_API_KEY"),
                GatewayCheck.MethodThrottle => _methodThrottles[match.Route!].TryTake() ? null : GatewayError(entry, 429, "Too Many Requests", "THROTTLED"),
                GatewayCheck.UsagePlanThrottle => _usagePlanThrottle.TryTake() ? null : GatewayError(entry, 429, "Too Many Requests", "THROTTLED"),
                GatewayCheck.Quota => _quota.TryTake() ? null : GatewayError(entry, 429, "Limit Exceeded", "QUOTA_EXCEEDED"),
                // The stage's model is declared for application/json only, and API Gateway validates only a body that has
                // a model: one sent as another media type goes to the function unchecked (which answers 415).
                GatewayCheck.BodyValidation => !match.Route!.RequiresJsonObjectBody || !JsonBody.IsJsonContentType(request.ContentType)
                    || IsJsonObject(body, base64) ? null
                    : GatewayError(entry, 400, "Invalid request body", "BAD_REQUEST_BODY"),
                _ => throw new InvalidOperationException($"No local check for {check}"),
            };
            if (refused is not null) return refused;
            if (check == GatewayCheck.RouteExists) entry.ResourcePath = match.PathTemplate;
            if (check == GatewayCheck.ApiKey) entry.ApiKeyId = ApiKeyId;
        }

        return await IntegrateAsync(entry, new ApiRequest
        {
            Method = request.Method,
            Path = path,
            Match = match,
            PublicPath = stagePrefix + path,
            Query = request.Query.ToDictionary(q => q.Key, q => q.Value.LastOrDefault() ?? ""),
            Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            Body = body,
            IsBase64Encoded = base64,
            RequestId = entry.RequestId,
        }, http.RequestAborted);
    }

    /// <summary>The Lambda proxy integration: the function's answer, timed for the access log.</summary>
    private async Task<ApiResponse> IntegrateAsync(AccessLogEntry entry, ApiRequest request, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        ApiResponse response = await _handler.HandleAsync(request, cancellationToken);
        entry.IntegrationLatency = Stopwatch.GetElapsedTime(started);
        entry.IntegrationStatus = response.StatusCode;
        return response;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>
    /// The body as text; bytes that are not UTF-8 are passed base64-encoded, as API Gateway does for binary. Over
    /// <see cref="GatewayPolicy.MaxPayloadBytes"/> (Kestrel's request body limit) it is not read at all.
    /// </summary>
    private static async Task<(string? Body, bool Base64, bool TooLarge)> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(buffer);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, false, true);
        }
        if (buffer.Length == 0) return (null, false, false);
        byte[] bytes = buffer.ToArray();
        try { return (StrictUtf8.GetString(bytes), false, false); }
        catch (DecoderFallbackException) { return (Convert.ToBase64String(bytes), true, false); }
    }

    /// <summary>
    /// What the stage's request validator checks: the body is a JSON object (schema {"type":"object"}). It sets no
    /// depth limit and lets a name repeat, so such bodies reach the function, which says what is wrong with them.
    /// </summary>
    private static bool IsJsonObject(string? body, bool base64)
    {
        if (body is null || base64) return false;
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = bytes.Length + 1 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read()) { }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private ApiResponse Unauthorized(AccessLogEntry entry)
    {
        entry.AuthorizerError = "Unauthorized";
        return GatewayError(entry, 401, "Unauthorized", "UNAUTHORIZED");
    }

    /// <summary>An answer API Gateway itself gives (a gateway response): only a message, plus CORS headers.</summary>
    private ApiResponse GatewayError(AccessLogEntry entry, int status, string message, string responseType)
    {
        entry.ErrorMessage = message;
        entry.ErrorResponseType = responseType;
        var response = new ApiResponse { StatusCode = status, Body = JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = message }) };
        response.Headers["Content-Type"] = "application/json";
        response.Headers["x-amzn-ErrorType"] = responseType;
        _cors.ApplyToGatewayResponse(response);
        return response;
    }

    private void WriteAccessLog(HttpContext http, AccessLogEntry entry, int status, int responseLength)
    {
        string line = AccessLogFormat.Line(new Dictionary<string, string?>
        {
            ["requestId"] = entry.RequestId,
            ["ip"] = http.Connection.RemoteIpAddress?.ToString(),
            ["requestTime"] = _options.Clock.GetUtcNow().ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture),
            ["httpMethod"] = http.Request.Method,
            ["resourcePath"] = entry.ResourcePath,
            ["status"] = status.ToString(CultureInfo.InvariantCulture),
            ["protocol"] = http.Request.Protocol,
            ["responseLength"] = responseLength.ToString(CultureInfo.InvariantCulture),
            ["responseLatency"] = Milliseconds(Stopwatch.GetElapsedTime(entry.Started)),
            ["integrationLatency"] = entry.IntegrationLatency is { } latency ? Milliseconds(latency) : null,
            ["integrationStatus"] = entry.IntegrationStatus?.ToString(CultureInfo.InvariantCulture),
            ["errorMessage"] = entry.ErrorMessage,
            ["errorResponseType"] = entry.ErrorResponseType,
            ["authorizerError"] = entry.AuthorizerError,
            ["integrationErrorMessage"] = null,
            ["apiKeyId"] = entry.ApiKeyId,
            ["extendedRequestId"] = entry.ExtendedRequestId,
            // No X-Ray locally: "-", as API Gateway writes when tracing is off.
            ["xrayTraceId"] = null,
        });
        lock (_logGate)
        {
            _options.AccessLog.WriteLine(line);
            _options.AccessLog.Flush();
        }
    }

    /// <summary>Whole milliseconds, as API Gateway logs latencies.</summary>
    private static string Milliseconds(TimeSpan elapsed) => ((long)elapsed.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>What one request contributes to its access-log line.</summary>
    private sealed class AccessLogEntry(string requestId, long started)
    {
        public string RequestId { get; } = requestId;
        /// <summary>API Gateway's second id for the request (the one its support asks for).</summary>
        public string ExtendedRequestId { get; } = Convert.ToBase64String(Guid.NewGuid().ToByteArray())[..16];
        public long Started { get; } = started;
        public TimeSpan? IntegrationLatency { get; set; }
        public int? IntegrationStatus { get; set; }
        public string? ResourcePath { get; set; }
        public string? ErrorMessage { get; set; }
        public string? ErrorResponseType { get; set; }
        public string? AuthorizerError { get; set; }
        public string? ApiKeyId { get; set; }
    }
}
