using ItemsApi.DeployTime.Gateway;

namespace ItemsApi.Verify;

/// <summary>
/// The names of the contract's checks, as the report and the output show them. The gateway's refusals name the status
/// of their answer (<see cref="GatewayAnswer"/>); each is checked on every route it applies to.
/// </summary>
public static class CheckNames
{
    public const string KeyAccepted = "API key accepted";
    public const string Create = "create item";
    public const string Get = "get item";
    public const string ListPaging = "list with paging";
    public const string Replace = "replace with If-Match";
    public const string StaleIfMatch = "stale If-Match → 412";
    public const string MissingIfMatch = "missing If-Match → 428";
    public static readonly string InvalidJson = $"invalid JSON body → {GatewayAnswer.InvalidRequestBody.Status}";
    public static readonly string NotAnObject = $"non-object JSON body → {GatewayAnswer.InvalidRequestBody.Status}";
    public const string NotJsonContentType = "JSON sent as text/plain → 415";
    public const string RetriedCreate = "retried create with Idempotency-Key → same item, another body → 422";
    public static readonly string NoApiKey = $"no API key → {GatewayAnswer.InvalidApiKey.Status}";
    public static readonly string WrongApiKey = $"wrong API key → {GatewayAnswer.InvalidApiKey.Status}";
    public static readonly string NoBearerToken = $"no bearer token → {GatewayAnswer.Unauthorized.Status}";
    public const string CorsPreflight = "CORS preflight";
    public const string Delete = "delete item → 204, then 404";
    public const string Cleanup = "cleanup";
    public const string Interrupted = "run interrupted";
}
