namespace ItemsApi.Verify;

/// <summary>The names of the contract's checks, as the report and the output show them.</summary>
public static class CheckNames
{
    public const string KeyAccepted = "API key accepted";
    public const string Create = "create item";
    public const string Get = "get item";
    public const string ListPaging = "list with paging";
    public const string Replace = "replace with If-Match";
    public const string StaleIfMatch = "stale If-Match → 412";
    public const string MissingIfMatch = "missing If-Match → 428";
    public const string InvalidJson = "invalid JSON body → 400";
    public const string NotAnObject = "non-object JSON body → 400";
    public const string NotJsonContentType = "JSON sent as text/plain → 415";
    public const string NoApiKey = "no API key → 403";
    public const string WrongApiKey = "wrong API key → 403";
    public const string NoBearerToken = "no bearer token → 401";
    public const string CorsPreflight = "CORS preflight";
    public const string Delete = "delete item → 204, then 404";
    public const string Cleanup = "cleanup";
    public const string Interrupted = "run interrupted";
}
