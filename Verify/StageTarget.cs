using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.Verify;

/// <summary>The stage to verify: its items URL, key and token, what the stack says about auth and CORS, and its routes.</summary>
public sealed record StageTarget
{
    /// <summary>The collection URL, as the stack's <c>url</c> output gives it (<c>https://.../dev/items</c>).</summary>
    public required Uri ItemsUrl { get; init; }

    public required string ApiKey { get; init; }

    /// <summary>The bearer token sent as <c>Authorization: Bearer ...</c>; needed in apiKey+authorizer mode.</summary>
    public string? BearerToken { get; init; }

    public AuthMode AuthMode { get; init; } = AuthMode.ApiKey;

    /// <summary>The stage's CORS origins; empty: CORS off; null: not known (the stack has no such output).</summary>
    public IReadOnlyList<string>? CorsAllowedOrigins { get; init; }

    /// <summary>The Origin to send in the CORS preflight; null picks one from <see cref="CorsAllowedOrigins"/>.</summary>
    public string? Origin { get; init; }

    /// <summary>The routes the stage has, whose gateway checks verify runs on each: the route table's, unless a test gives others.</summary>
    public IReadOnlyList<Route> Routes { get; init; } = RouteTable.All;
}
