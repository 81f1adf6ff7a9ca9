using ItemsApi.Core.Routes;

namespace ItemsApi.Core.Http;

/// <summary>
/// An HTTP request as the handler sees it, independent of where it came from
/// (an API Gateway proxy event, or the local gateway).
/// </summary>
public sealed class ApiRequest
{
    public required string Method { get; init; }

    /// <summary>The request path relative to the stage, e.g. <c>/items/01J...</c> (percent-encoded as received).</summary>
    public required string Path { get; init; }

    /// <summary>
    /// The route the gateway matched, with the decoded path parameters, so the request is matched once.
    /// When null the handler matches <see cref="Path"/> against the route table itself.
    /// </summary>
    public RouteMatch? Match { get; init; }

    /// <summary>The path the client used, stage prefix included (<c>/dev/items</c>); used for <c>Location</c>.</summary>
    public string? PublicPath { get; init; }

    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>();

    /// <summary>Request headers; looked up case-insensitively.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string? Body { get; init; }
    public bool IsBase64Encoded { get; init; }
    public string RequestId { get; init; } = "";

    public string? Header(string name)
    {
        foreach ((string key, string value) in Headers)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return value;
        return null;
    }
}
