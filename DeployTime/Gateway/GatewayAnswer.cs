using System.Text.Json;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Gateway;

/// <summary>
/// An answer API Gateway gives itself, before or instead of the function: its status, the message of its JSON body
/// (the stack's gateway responses render <c>{"message":$context.error.messageString}</c>) and its gateway response
/// type (the <c>x-amzn-ErrorType</c> header, <c>$context.error.responseType</c> in the access log). These rows are the
/// one definition: the local gateway answers with them, verify expects them, the OpenAPI document lists their statuses
/// (<see cref="GatewayPolicy.GatewayStatuses"/>), and the component's gateway responses keep their statuses.
/// </summary>
public sealed record GatewayAnswer(int Status, string Message, string ResponseType)
{
    /// <summary>The gateway response types that catch every 4XX and 5XX answer the stage gives itself (the stack declares both).</summary>
    public const string Default4xx = "DEFAULT_4XX", Default5xx = "DEFAULT_5XX";

    /// <summary>A body over <see cref="GatewayPolicy.MaxPayloadBytes"/>, whatever the path or key.</summary>
    public static readonly GatewayAnswer RequestTooLong = new(413, "Request Too Long", "REQUEST_TOO_LARGE");

    /// <summary>A path or method the stage does not have (the stage prefix is part of the path).</summary>
    public static readonly GatewayAnswer MissingAuthenticationToken = new(403, "Missing Authentication Token", "MISSING_AUTHENTICATION_TOKEN");

    /// <summary>The TOKEN authorizer refused the bearer token, or the header is not shaped like one.</summary>
    public static readonly GatewayAnswer Unauthorized = new(401, "Unauthorized", "UNAUTHORIZED");

    /// <summary>x-api-key missing, or not a key of the stage's usage plan.</summary>
    public static readonly GatewayAnswer InvalidApiKey = new(403, "Forbidden", "INVALID_API_KEY");

    /// <summary>The per-method stage throttle or the usage plan's throttle.</summary>
    public static readonly GatewayAnswer Throttled = new(429, "Too Many Requests", "THROTTLED");

    /// <summary>The usage plan's quota for the period is spent.</summary>
    public static readonly GatewayAnswer QuotaExceeded = new(429, "Limit Exceeded", "QUOTA_EXCEEDED");

    /// <summary>The request validator refused the body: not a JSON object.</summary>
    public static readonly GatewayAnswer InvalidRequestBody = new(400, "Invalid request body", "BAD_REQUEST_BODY");

    /// <summary>The stage failed itself; the local gateway answers this when it throws.</summary>
    public static readonly GatewayAnswer InternalServerError = new(500, "Internal server error", Default5xx);

    public static IReadOnlyList<GatewayAnswer> All { get; } =
        [RequestTooLong, MissingAuthenticationToken, Unauthorized, InvalidApiKey, Throttled, QuotaExceeded, InvalidRequestBody, InternalServerError];

    /// <summary>What the stage answers when a request fails <paramref name="check"/>.</summary>
    public static GatewayAnswer For(GatewayCheck check) => check switch
    {
        GatewayCheck.PayloadSize => RequestTooLong,
        GatewayCheck.RouteExists => MissingAuthenticationToken,
        GatewayCheck.Authorizer => Unauthorized,
        GatewayCheck.ApiKey => InvalidApiKey,
        GatewayCheck.MethodThrottle or GatewayCheck.UsagePlanThrottle => Throttled,
        GatewayCheck.Quota => QuotaExceeded,
        GatewayCheck.BodyValidation => InvalidRequestBody,
        _ => throw new ArgumentOutOfRangeException(nameof(check), check, "a check with no answer"),
    };

    /// <summary>The body, <c>{"message":"..."}</c>, as API Gateway writes it through the stack's response template.</summary>
    public string Body => JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = Message }, SettingsJsonContext.Default.DictionaryStringString);
}
