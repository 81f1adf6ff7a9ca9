namespace ItemsApi.DeployTime.Gateway;

/// <summary>
/// The checks API Gateway makes before a request reaches the function, in the order it makes them. A
/// Lambda authorizer runs before the API key is checked (an authorizer can be the key's source), the key
/// before any throttle or quota (those are counted per key), and request validation last, just before
/// the integration. The local gateway runs them in this order; the stack declares each one.
/// </summary>
public enum GatewayCheck
{
    /// <summary>The path and method exist on the stage; otherwise 403 "Missing Authentication Token".</summary>
    RouteExists,
    /// <summary>authMode apiKey+authorizer: the TOKEN authorizer allows the bearer token (401 / 403).</summary>
    Authorizer,
    /// <summary>x-api-key holds a key bound to the stage by the usage plan (403 "Forbidden").</summary>
    ApiKey,
    /// <summary>The stage's per-method throttle, one bucket per method (429 "Too Many Requests").</summary>
    MethodThrottle,
    /// <summary>The usage plan's per-key throttle (429 "Too Many Requests").</summary>
    UsagePlanThrottle,
    /// <summary>The usage plan's per-key quota (429 "Limit Exceeded").</summary>
    Quota,
    /// <summary>The body is a JSON object, for routes that take one (400 "Invalid request body").</summary>
    BodyValidation,
}
