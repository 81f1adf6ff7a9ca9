using System.Security.Cryptography;
using System.Text;

namespace ItemsApi.Core.Auth;

/// <summary>
/// The Lambda TOKEN authorizer's decision, without the Lambda types: <c>Authorization: Bearer &lt;token&gt;</c>
/// is allowed when SHA-256(token) equals one of the configured hashes. Only hashes are configured, so a
/// leaked configuration does not leak tokens. Make a token and its hash with:
/// <c>token=$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '='); printf %s "$token" | sha256sum</c>.
/// </summary>
public sealed class BearerTokenAuthorizer
{
    /// <summary>
    /// The error a TOKEN authorizer fails with for API Gateway to answer 401 (its message must be exactly this); the
    /// access log shows it as <c>authorizerError</c>.
    /// </summary>
    public const string RefusedError = "Unauthorized";

    /// <summary>Why a caller was refused: no Authorization header, or an empty one.</summary>
    public const string MissingToken = "missing token";

    /// <summary>Why a caller was refused: a header that is not <c>Bearer &lt;token&gt;</c>.</summary>
    public const string MalformedToken = "malformed token";

    /// <summary>Why a caller was refused: a bearer token whose hash is not configured.</summary>
    public const string UnknownToken = "unknown token";

    private readonly byte[][] _hashes;

    public BearerTokenAuthorizer(IEnumerable<string> sha256Hashes)
    {
        _hashes = sha256Hashes.Select(ParseHash).ToArray();
    }

    /// <summary>Hashes from a comma- or whitespace-separated list, as the environment variable holds them.</summary>
    public static BearerTokenAuthorizer FromList(string? hashList) =>
        new(SplitList(hashList));

    public static IReadOnlyList<string> SplitList(string? hashList) =>
        (hashList ?? "").Split([',', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);

    public static bool IsValidHash(string hash) =>
        hash.Length == 64 && hash.All(Uri.IsHexDigit);

    /// <summary>Lower-case hex SHA-256 of a token: what goes into configuration.</summary>
    public static string HashToken(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>The principal id for an allowed header, or null when the caller is unauthorized.</summary>
    public string? Authorize(string? authorizationHeader) => Check(authorizationHeader).PrincipalId;

    /// <summary>The decision, with the reason for a refusal (for the authorizer's log line).</summary>
    public TokenCheck Check(string? authorizationHeader)
    {
        if (string.IsNullOrWhiteSpace(authorizationHeader)) return new TokenCheck(null, MissingToken);
        string? token = BearerToken(authorizationHeader);
        if (token is null) return new TokenCheck(null, MalformedToken);

        byte[] presented = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        int match = -1;
        // Compare against every hash, in constant time each, so timing tells nothing about which matched.
        for (int i = 0; i < _hashes.Length; i++)
            if (CryptographicOperations.FixedTimeEquals(presented, _hashes[i]) && match == -1) match = i;

        // The principal names the token by a prefix of its hash: enough to tell callers apart in logs.
        return match == -1
            ? new TokenCheck(null, UnknownToken)
            : new TokenCheck("token-" + Convert.ToHexStringLower(_hashes[match])[..12], null);
    }

    /// <summary>
    /// The resource the allow policy covers: every method and path of the stage that was called, so a
    /// decision API Gateway caches for one route does not deny the caller on another.
    /// </summary>
    /// <example><c>arn:aws:execute-api:eu-west-1:123456789012:abc123/dev/GET/items</c> → <c>arn:aws:execute-api:eu-west-1:123456789012:abc123/dev/*/*</c></example>
    public static string? StageWideResource(string? methodArn)
    {
        if (methodArn is null || !methodArn.StartsWith("arn:", StringComparison.Ordinal)) return null;
        string[] parts = methodArn.Split('/');
        if (parts.Length < 2 || parts[0].Split(':').Length != 6 || parts[1].Length == 0) return null;
        return $"{parts[0]}/{parts[1]}/*/*";
    }

    private static string? BearerToken(string header)
    {
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return null;
        string token = header[scheme.Length..].Trim();
        return token.Length == 0 || token.Any(char.IsWhiteSpace) ? null : token;
    }

    private static byte[] ParseHash(string hash) =>
        IsValidHash(hash)
            ? Convert.FromHexString(hash)
            : throw new ArgumentException($"'{hash}' is not a SHA-256 hash (64 hex characters).", nameof(hash));
}
