using ItemsApi.DeployTime.Gateway;

namespace ItemsApi.LocalGateway;

/// <summary>
/// The host names the local stage answers to. A web page that rebinds its own DNS name to 127.0.0.1 (DNS rebinding)
/// reaches the local port as a same-origin page, so CORS does not stop it reading the answers, including /docs, which
/// embeds the key. Its browser still sends the page's name in <c>Host</c>, so the gateway answers only these names.
/// Only the names the local run prints or a browser uses for this machine: other loopback addresses (127.0.0.2) are
/// not listened on, so no browser request addressed to them arrives here, and <c>*.localhost</c> is not needed.
/// </summary>
public static class LoopbackHost
{
    public static readonly IReadOnlyList<string> Names = ["127.0.0.1", "localhost", "[::1]"];

    /// <summary>The message of the 400 that any other <c>Host</c>, or none (HTTP/1.0), gets.</summary>
    public static readonly string RefusedMessage = $"Host not allowed: the local stage answers only {string.Join(", ", Names.SkipLast(1))} or {Names[^1]}";

    /// <summary>
    /// The answer to any other <c>Host</c>: a deployed stage has no such check, so it is not one of its answers; as API
    /// Gateway types a 4xx it has no specific type for, DEFAULT_4XX.
    /// </summary>
    public static readonly GatewayAnswer Refused = new(400, RefusedMessage, GatewayAnswer.Default4xx);

    /// <summary>True when the request's <c>Host</c> names loopback, with any port and in any case.</summary>
    public static bool IsLoopback(HostString host) =>
        host.HasValue && Names.Contains(host.Host, StringComparer.OrdinalIgnoreCase);
}
