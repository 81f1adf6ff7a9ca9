using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ItemsApi.Core.Auth;
using ItemsApi.Core.Http;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.LocalGateway;

/// <summary>
/// The stage's checks, run locally in API Gateway's order (<see cref="GatewayPolicy.Checks"/>): the first one a request
/// fails decides the answer (<see cref="GatewayAnswer.For"/>). Each check also notes in the access-log entry what API
/// Gateway's would: the resource path once the route is known, the key's id once it is accepted, the authorizer's
/// error and invocation.
/// </summary>
internal sealed class LocalGatewayChecks
{
    /// <summary>The local key's id in the access log (the deployed stage logs the API key resource's id).</summary>
    private const string ApiKeyId = "local-api-key";

    private readonly GatewayPolicy _policy;
    private readonly BearerTokenAuthorizer? _authorizer;
    private readonly byte[] _apiKey;
    /// <summary>The stage throttle: one bucket per method, as API Gateway applies "*/*" method settings.</summary>
    private readonly Dictionary<Core.Routes.Route, TokenBucket> _methodThrottles;
    private readonly TokenBucket _usagePlanThrottle;
    private readonly Quota _quota;

    public LocalGatewayChecks(LocalGatewayOptions options, GatewayPolicy policy, RouteSet routes)
    {
        _policy = policy;
        _apiKey = Encoding.UTF8.GetBytes(options.ApiKey);
        _methodThrottles = routes.All.ToDictionary(route => route, _ => new TokenBucket(policy.MethodThrottle, options.Clock));
        _usagePlanThrottle = new TokenBucket(policy.UsagePlanThrottle, options.Clock);
        _quota = new Quota(policy.Quota, options.Clock);
        if (policy.AuthMode == AuthMode.ApiKeyAndAuthorizer)
        {
            IEnumerable<string> hashes = options.Stage.AuthorizerTokenHashes;
            if (options.BearerToken is not null) hashes = hashes.Append(BearerTokenAuthorizer.HashToken(options.BearerToken));
            _authorizer = new BearerTokenAuthorizer(hashes);
        }
    }

    /// <summary>
    /// What the stage answers instead of calling the function, or null when the request passes every check. A CORS
    /// preflight (<paramref name="preflight"/>) goes to an OPTIONS method without key or authorizer: only the payload limit applies.
    /// </summary>
    public GatewayAnswer? Refusal(HttpRequest request, RequestBody body, RouteMatch match, bool preflight, AccessLogEntry entry)
    {
        foreach (GatewayCheck check in preflight ? [GatewayCheck.PayloadSize] : _policy.Checks)
        {
            if (!Passes(check, request, body, match, entry)) return GatewayAnswer.For(check);
            if (check == GatewayCheck.RouteExists) entry.ResourcePath = match.PathTemplate;
            if (check == GatewayCheck.ApiKey) entry.ApiKeyId = ApiKeyId;
        }
        return null;
    }

    private bool Passes(GatewayCheck check, HttpRequest request, RequestBody body, RouteMatch match, AccessLogEntry entry) => check switch
    {
        // API Gateway refuses an oversized request before it looks at path, key or method.
        GatewayCheck.PayloadSize => !body.TooLarge,
        // A path or method the stage does not have, before any auth.
        GatewayCheck.RouteExists => match.IsFound,
        GatewayCheck.Authorizer => _authorizer is null || Authorizes(request.Headers.Authorization, entry),
        GatewayCheck.ApiKey => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(request.Headers[_policy.ApiKeyHeader].ToString()), _apiKey),
        GatewayCheck.MethodThrottle => _methodThrottles[match.Route!].TryTake(),
        GatewayCheck.UsagePlanThrottle => _usagePlanThrottle.TryTake(),
        GatewayCheck.Quota => _quota.TryTake(),
        // The stage's model is declared for application/json only, and API Gateway validates only a body that has
        // a model: one sent as another media type goes to the function unchecked (which answers 415).
        GatewayCheck.BodyValidation => !match.Route!.RequiresJsonObjectBody || !JsonBody.IsJsonContentType(request.ContentType) || IsJsonObject(body),
        _ => throw new InvalidOperationException($"No local check for {check}"),
    };

    /// <summary>
    /// The TOKEN authorizer: a header not shaped like a bearer token is refused without invoking it (as the stage's
    /// identity validation does); otherwise the same check the authorizer function runs, as one invocation with its own id.
    /// </summary>
    private bool Authorizes(string? header, AccessLogEntry entry)
    {
        if (header is not null && Regex.IsMatch(header, _policy.Authorizer!.IdentityValidationExpression))
            entry.AuthorizerRequestId = Guid.NewGuid().ToString();
        if (_authorizer!.Authorize(header) is not null) return true;
        entry.AuthorizerError = BearerTokenAuthorizer.RefusedError;
        return false;
    }

    /// <summary>
    /// What the stage's request validator checks: the body is a JSON object (schema {"type":"object"}). It sets no
    /// depth limit and lets a name repeat, so such bodies reach the function, which says what is wrong with them.
    /// </summary>
    private static bool IsJsonObject(RequestBody body)
    {
        if (body.Text is null || body.IsBase64) return false;
        byte[] bytes = Encoding.UTF8.GetBytes(body.Text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = bytes.Length + 1 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read()) { }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
