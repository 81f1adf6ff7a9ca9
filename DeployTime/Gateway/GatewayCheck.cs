namespace ItemsApi.DeployTime.Gateway;

/// <summary>
/// The checks API Gateway makes before a request reaches the function, in the order it makes them. The payload
/// limit comes before anything else; a Lambda authorizer runs before the API key is checked (an authorizer can be
/// the key's source), the key before any throttle or quota (those are counted per key), and request validation last,
/// just before the integration. The local gateway runs them in this order; the stack declares each one. What the
/// stage answers when a request fails one is <see cref="GatewayAnswer.For"/>.
/// </summary>
public enum GatewayCheck
{
    /// <summary>The body is at most <see cref="GatewayPolicy.MaxPayloadBytes"/>, whatever the path or key.</summary>
    PayloadSize,
    /// <summary>The path and method exist on the stage.</summary>
    RouteExists,
    /// <summary>authMode apiKey+authorizer: the TOKEN authorizer allows the bearer token.</summary>
    Authorizer,
    /// <summary>x-api-key holds a key bound to the stage by the usage plan.</summary>
    ApiKey,
    /// <summary>The stage's per-method throttle, one bucket per method.</summary>
    MethodThrottle,
    /// <summary>The usage plan's per-key throttle.</summary>
    UsagePlanThrottle,
    /// <summary>The usage plan's per-key quota.</summary>
    Quota,
    /// <summary>The body is a JSON object, for routes that take one.</summary>
    BodyValidation,
}
