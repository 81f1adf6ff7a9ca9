using System.Text.Json;
using ItemsApi.Core.Http;
using ItemsApi.Core.Routes;

namespace ItemsApi.Verify;

/// <summary>
/// The requests of a contract run: the stage's URLs, the headers with or without the key and token, the documents it
/// sends, and the items it created. Whatever a write creates (even one the stage should have refused) is noted, so the
/// cleanup can delete it.
/// </summary>
internal sealed class StageRequests(StageTarget target, StageClient client, string itemsUrl, string runId)
{
    /// <summary>
    /// The value of every path parameter in a request the gateway should refuse: a well-formed item id (the Unix epoch,
    /// no random bits) that the API never issues, so a stage that lets the request through finds nothing to change.
    /// </summary>
    private const string NoSuchId = "00000000000000000000000000";

    private readonly List<string> _created = [];

    /// <summary>Every id this run created, deleted or not: the items whose bodies a report may show.</summary>
    private readonly HashSet<string> _everCreated = new(StringComparer.Ordinal);

    public string ItemsUrl => itemsUrl;

    public int RequestsSent => client.RequestsSent;

    /// <summary>Ids created and not yet deleted: the cleanup deletes them.</summary>
    public IReadOnlyList<string> Created => _created;

    public void Forget(string id) => _created.Remove(id);

    public async Task<Exchange> SendAsync(string method, string url, List<KeyValuePair<string, string>> headers, string? body = null,
        CancellationToken ct = default, string contentType = JsonBody.ContentType)
    {
        if (body is not null) headers.Add(KeyValuePair.Create("Content-Type", contentType));
        Exchange exchange = await client.SendAsync(new RequestSpec(method, new Uri(url), headers, body), ct);
        if (method is not ("GET" or "DELETE") && exchange.Status is >= 200 and < 300 && exchange.Json() is { } answer
            && Expect.IdOf(answer) is { } id && !_created.Contains(id))
        {
            _created.Add(id);
            _everCreated.Add(id);
        }
        return exchange with { OwnItemIds = _everCreated.ToHashSet(StringComparer.Ordinal) };
    }

    /// <summary>POSTs a body to the collection, with an Idempotency-Key when given.</summary>
    public Task<Exchange> CreateItemAsync(string body, CancellationToken ct, string contentType = JsonBody.ContentType, string? idempotencyKey = null)
    {
        List<KeyValuePair<string, string>> headers = Headers();
        if (idempotencyKey is not null) headers.Add(KeyValuePair.Create(RouteTable.IdempotencyKeyHeader, idempotencyKey));
        return SendAsync("POST", itemsUrl, headers, body, ct, contentType);
    }

    /// <summary>The stage's key and token, and an If-Match when given.</summary>
    public List<KeyValuePair<string, string>> Headers(string? ifMatch = null) => Headers(target.ApiKey, target.BearerToken, ifMatch);

    public static List<KeyValuePair<string, string>> Headers(string? apiKey, string? token, string? ifMatch = null)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (apiKey is not null) headers.Add(KeyValuePair.Create("x-api-key", apiKey));
        if (token is not null) headers.Add(KeyValuePair.Create("Authorization", $"Bearer {token}"));
        if (ifMatch is not null) headers.Add(KeyValuePair.Create("If-Match", ifMatch));
        return headers;
    }

    public Uri ItemUri(string id) => new($"{itemsUrl}/{Uri.EscapeDataString(id)}");

    /// <summary>
    /// A URL of <paramref name="route"/> on this stage, every path parameter set to an id no item has. Route templates start
    /// at the stage's root, which the items URL ends in <see cref="RouteTable.ItemsPath"/> below.
    /// </summary>
    public string RouteUrl(Route route)
    {
        string path = route.PathParameters.Aggregate(route.PathTemplate, (template, p) => template.Replace("{" + p.Name + "}", NoSuchId));
        return itemsUrl[..^RouteTable.ItemsPath.Length] + path;
    }

    /// <summary>A key of a valid length that no stage has: this run's id makes it unique.</summary>
    public string WrongKey() => $"not-the-api-key-{runId}";

    /// <summary>The items' documents carry the run's id, so anything left behind is easy to recognize.</summary>
    public string Document(int n, string name) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["name"] = name, ["n"] = n, ["verifyRun"] = runId });
}
