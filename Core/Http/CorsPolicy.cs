using System.Globalization;

namespace ItemsApi.Core.Http;

/// <summary>
/// Which browser origins may call the API. The function adds these headers to its own responses (proxy integrations
/// pass them through untouched); the stack and the local gateway use <see cref="GatewayResponseAllowOrigin"/> for the
/// errors API Gateway answers itself, and <see cref="Preflight"/> for preflight (OPTIONS) requests, which the stage
/// answers without the function (a MOCK integration whose template is generated from it: DeployTime/Gateway/CorsPreflight).
/// </summary>
public sealed class CorsPolicy(IReadOnlyList<string> allowedOrigins, string allowedHeaders = CorsPolicy.BaseAllowedHeaders)
{
    public static CorsPolicy Disabled { get; } = new([]);

    /// <summary>Request headers a browser may send in every auth mode; every header parameter of the route table among them (a test checks).</summary>
    public const string BaseAllowedHeaders = "Content-Type,X-Api-Key,Authorization,If-Match,Idempotency-Key";

    /// <summary>What a SigV4-signed request (authMode iam) adds: its date and, with temporary credentials, the session token.</summary>
    public const string SigV4Headers = "X-Amz-Date,X-Amz-Security-Token";

    /// <summary>Response headers a browser script may read.</summary>
    public const string ExposedHeaders = "ETag,Location,Retry-After";

    /// <summary>How long a browser may cache a preflight answer.</summary>
    public const int MaxAgeSeconds = 600;

    public IReadOnlyList<string> AllowedOrigins => allowedOrigins;
    public string AllowedHeaders => allowedHeaders;
    public bool IsEnabled => allowedOrigins.Count > 0;

    /// <summary>The <c>Access-Control-Allow-Origin</c> value for a request from <paramref name="origin"/>, or null.</summary>
    public string? AllowOriginFor(string? origin)
    {
        if (allowedOrigins.Contains("*")) return "*";
        return origin is not null && allowedOrigins.Contains(origin, StringComparer.Ordinal) ? origin : null;
    }

    /// <summary>
    /// The <c>Access-Control-Allow-Origin</c> on answers API Gateway gives itself (403 bad key, 429, 401 ...).
    /// A gateway response header is a fixed value or a copy of a request header: it cannot check the Origin
    /// against a list. So it is set only when one fixed value is right for every caller ("*" or the single
    /// allowed origin); with several origins it is left off rather than echoing whatever Origin a page sends.
    /// </summary>
    public string? GatewayResponseAllowOrigin =>
        allowedOrigins.Contains("*") ? "*" : allowedOrigins.Count == 1 ? allowedOrigins[0] : null;

    /// <summary>Adds the CORS headers an actual (non-preflight) response needs.</summary>
    public void ApplyTo(ApiResponse response, string? origin)
    {
        if (!IsEnabled) return;
        response.Headers["Vary"] = "Origin";
        string? allowOrigin = AllowOriginFor(origin);
        if (allowOrigin is null) return;
        response.Headers["Access-Control-Allow-Origin"] = allowOrigin;
        response.Headers["Access-Control-Expose-Headers"] = ExposedHeaders;
    }

    /// <summary>
    /// The headers on every answer the stage gives without the function: API Gateway's own errors (its gateway
    /// responses) and the WAF ceiling's 429. Fixed values, so <c>Vary</c> and the one <see cref="GatewayResponseAllowOrigin"/>
    /// that fits every caller, if any; none without CORS.
    /// </summary>
    public IReadOnlyDictionary<string, string> GatewayResponseHeaders
    {
        get
        {
            var headers = new Dictionary<string, string>();
            if (!IsEnabled) return headers;
            headers["Vary"] = "Origin";
            if (GatewayResponseAllowOrigin is { } allowOrigin) headers["Access-Control-Allow-Origin"] = allowOrigin;
            return headers;
        }
    }

    /// <summary>Adds the headers the stage's gateway responses carry (<see cref="GatewayResponseHeaders"/>).</summary>
    public void ApplyToGatewayResponse(ApiResponse response)
    {
        foreach ((string name, string value) in GatewayResponseHeaders) response.Headers[name] = value;
    }

    /// <summary>The answer to a preflight request on a path that has <paramref name="methods"/>.</summary>
    public ApiResponse Preflight(string? origin, IEnumerable<string> methods)
    {
        var response = new ApiResponse { StatusCode = 204 };
        response.Headers["Vary"] = "Origin";
        string? allowOrigin = AllowOriginFor(origin);
        if (allowOrigin is null) return response;
        response.Headers["Access-Control-Allow-Origin"] = allowOrigin;
        response.Headers["Access-Control-Allow-Methods"] = string.Join(",", methods.Append("OPTIONS"));
        response.Headers["Access-Control-Allow-Headers"] = allowedHeaders;
        response.Headers["Access-Control-Max-Age"] = MaxAgeSeconds.ToString(CultureInfo.InvariantCulture);
        return response;
    }
}
