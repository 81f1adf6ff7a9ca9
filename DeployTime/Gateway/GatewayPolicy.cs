using ItemsApi.Core.Http;
using ItemsApi.DeployTime.OpenApi;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Gateway;

/// <summary>
/// Everything the API Gateway stage does before the function runs, as one model: auth, the API key, the
/// usage plan's throttle and quota, the per-method stage throttle, CORS and request validation. The stack declares
/// its resources from it (the API's own through <see cref="ApiDefinition"/>, the usage plan and the method settings'
/// throttle directly); the local gateway runs <see cref="Checks"/> in order and answers with
/// <see cref="GatewayAnswer.For"/>, so the two agree by construction.
/// </summary>
/// <remarks>
/// AWS documents usage plan throttles and quotas as targets applied on a best-effort basis, not guarantees:
/// the local gateway enforces them exactly, the deployed stage may let a few more requests through.
/// </remarks>
public sealed record GatewayPolicy(
    AuthMode AuthMode,
    string MethodAuthorization,
    AuthorizerPolicy? Authorizer,
    string ApiKeyHeader,
    string ApiKeySource,
    ThrottleLimits UsagePlanThrottle,
    QuotaLimits Quota,
    ThrottleLimits MethodThrottle,
    CorsPolicy Cors,
    string RequestModelSchema,
    string EndpointType)
{
    /// <summary>The order API Gateway checks a request in (see <see cref="GatewayCheck"/>).</summary>
    public IReadOnlyList<GatewayCheck> Checks { get; } =
    [
        GatewayCheck.PayloadSize, GatewayCheck.RouteExists, GatewayCheck.Authorizer, GatewayCheck.ApiKey,
        GatewayCheck.MethodThrottle, GatewayCheck.UsagePlanThrottle, GatewayCheck.Quota, GatewayCheck.BodyValidation,
    ];

    /// <summary>An Authorization header of another shape is refused (<see cref="GatewayAnswer.Unauthorized"/>) without invoking the authorizer.</summary>
    public const string BearerTokenPattern = "^Bearer [-0-9A-Za-z._~+/]+=*$";

    /// <summary>Lambda proxy integrations, always called with POST.</summary>
    public const string ProxyIntegration = "AWS_PROXY";

    public static GatewayPolicy For(StageSettings settings) => new(
        settings.AuthMode,
        MethodAuthorization: settings.AuthMode switch
        {
            AuthMode.ApiKeyAndAuthorizer => "CUSTOM",
            AuthMode.Iam => "AWS_IAM",
            _ => "NONE",
        },
        Authorizer: settings.AuthMode == AuthMode.ApiKeyAndAuthorizer
            ? new AuthorizerPolicy(AuthorizerPolicy.BearerTokenName, "TOKEN", "Authorization", BearerTokenPattern, settings.AuthorizerCacheTtlSeconds)
            : null,
        ApiKeyHeader: "x-api-key",
        ApiKeySource: "HEADER",
        UsagePlanThrottle: new ThrottleLimits(settings.UsagePlanRateLimit, settings.UsagePlanBurstLimit),
        Quota: new QuotaLimits(settings.QuotaLimit, settings.QuotaPeriod),
        // API Gateway applies a stage's "*/*" method settings to each method separately, each with its own bucket.
        MethodThrottle: new ThrottleLimits(settings.StageThrottleRateLimit, settings.StageThrottleBurstLimit),
        // The stage's origins, and the SigV4 headers too in iam mode.
        Cors: new CorsPolicy(settings.CorsAllowedOrigins,
            settings.AuthMode == AuthMode.Iam ? $"{CorsPolicy.BaseAllowedHeaders},{CorsPolicy.SigV4Headers}" : CorsPolicy.BaseAllowedHeaders),
        RequestModelSchema: OpenApiDocument.DocumentSchemaJson,
        EndpointType: "REGIONAL");

    /// <summary>
    /// The largest request body API Gateway takes (its quota "Payload size for REST APIs: 10 MB", not adjustable).
    /// A larger one is answered by the gateway itself (<see cref="GatewayAnswer.RequestTooLong"/>), before any other check.
    /// </summary>
    public const int MaxPayloadBytes = 10 * 1024 * 1024;

    /// <summary>
    /// The checks a request to <paramref name="route"/> can fail: not <see cref="GatewayCheck.RouteExists"/> (it exists),
    /// the authorizer only with one, and the payload limit and body validation only where the route takes a body.
    /// </summary>
    public IEnumerable<GatewayCheck> ChecksFor(Route route) => Checks.Where(check => check switch
    {
        GatewayCheck.RouteExists => false,
        GatewayCheck.Authorizer => Authorizer is not null,
        GatewayCheck.PayloadSize => route.RequestBody != BodyShape.None,
        GatewayCheck.BodyValidation => route.RequiresJsonObjectBody,
        _ => true,
    });

    /// <summary>
    /// The gateway's own error answers for a route (on top of the function's <see cref="Route.ErrorStatuses"/>): those of
    /// the checks it can fail, and the stage's own failure.
    /// </summary>
    public IReadOnlyList<int> GatewayStatuses(Route route) =>
        ChecksFor(route).Select(check => GatewayAnswer.For(check).Status).Append(GatewayAnswer.InternalServerError.Status).Distinct().ToArray();
}
