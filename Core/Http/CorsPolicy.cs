namespace ItemsApi.Core.Http;

/// <summary>
/// Which browser origins may call the API. The function adds these headers to its own responses
/// (proxy integrations pass them through untouched); the stack and the local gateway use the same
/// lists for preflight (OPTIONS) and gateway error responses.
/// </summary>
public sealed class CorsPolicy(IReadOnlyList<string> allowedOrigins)
{
    public static CorsPolicy Disabled { get; } = new([]);

    /// <summary>Request headers a browser may send.</summary>
    public const string AllowedHeaders = "Content-Type,X-Api-Key,Authorization,If-Match";

    /// <summary>Response headers a browser script may read.</summary>
    public const string ExposedHeaders = "ETag,Location";

    /// <summary>How long a browser may cache a preflight answer.</summary>
    public const int MaxAgeSeconds = 600;

    public IReadOnlyList<string> AllowedOrigins => allowedOrigins;
    public bool IsEnabled => allowedOrigins.Count > 0;

    /// <summary>The <c>Access-Control-Allow-Origin</c> value for a request from <paramref name="origin"/>, or null.</summary>
    public string? AllowOriginFor(string? origin)
    {
        if (allowedOrigins.Contains("*")) return "*";
        return origin is not null && allowedOrigins.Contains(origin, StringComparer.Ordinal) ? origin : null;
    }

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

    /// <summary>The answer to a preflight request on a path that has <paramref name="methods"/>.</summary>
    public ApiResponse Preflight(string? origin, IEnumerable<string> methods)
    {
        var response = new ApiResponse { StatusCode = 204 };
        response.Headers["Vary"] = "Origin";
        string? allowOrigin = AllowOriginFor(origin);
        if (allowOrigin is null) return response;
        response.Headers["Access-Control-Allow-Origin"] = allowOrigin;
        response.Headers["Access-Control-Allow-Methods"] = string.Join(",", methods.Append("OPTIONS"));
        response.Headers["Access-Control-Allow-Headers"] = AllowedHeaders;
        response.Headers["Access-Control-Max-Age"] = MaxAgeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return response;
    }
}
