using System.Text.Json;
using ItemsApi.Core.Http;
using ItemsApi.Core.Routes;

namespace ItemsApi.Verify;

/// <summary>
/// The function's side of the contract, on one working item: create, read, list with paging, replace with If-Match, the
/// refused writes (412, 428, 415) and delete. Each check returns a short note when it passes and throws
/// <see cref="CheckFailure"/> when it does not.
/// </summary>
internal sealed class ItemChecks(ContractOptions options, StageRequests requests)
{
    /// <summary>The list route's query parameters (see the list row in <see cref="RouteTable"/>).</summary>
    private const string LimitParameter = "limit";
    private const string NextTokenParameter = "nextToken";
    private const int FirstPageLimit = 2;

    // The item the checks work on, as they go.
    private string? _itemId;
    private JsonElement _itemBody;
    private string _itemETag = "";

    public async Task<string> CreateAsync(CancellationToken ct)
    {
        string document = requests.Document(1, "verify item");
        Exchange exchange = await requests.CreateItemAsync(document, ct);
        Expect.Status(exchange, 201);
        JsonElement item = Expect.Item(exchange, document, version: 1);
        string id = item.GetProperty("id").GetString()!;

        string location = exchange.Header("Location") ?? throw new CheckFailure("no Location header", exchange);
        if (!Uri.TryCreate(new Uri(requests.ItemsUrl), location, out Uri? resolved) || resolved.AbsolutePath != requests.ItemUri(id).AbsolutePath)
            throw new CheckFailure($"Location is {location}, expected the item's path {requests.ItemUri(id).AbsolutePath}", exchange);

        (_itemId, _itemBody, _itemETag) = (id, item, exchange.Header("ETag")!);
        return $"201, id {id}, ETag {_itemETag}";
    }

    public async Task<string> GetAsync(CancellationToken ct)
    {
        Exchange exchange = await requests.SendAsync("GET", requests.ItemUri(_itemId!).ToString(), requests.Headers(), ct: ct);
        Expect.Status(exchange, 200);
        Expect.Header(exchange, "ETag", _itemETag);
        if (exchange.Json() is not { } body || !JsonElement.DeepEquals(body, _itemBody))
            throw new CheckFailure("the body differs from the one create answered", exchange);
        return $"200, ETag {_itemETag}";
    }

    /// <summary>
    /// Paging, checked so that it holds whatever else the table holds (a stage with 10,000 items of other people's, say):
    /// two more items, so at least three exist and a first page of 2 must say there is more; each of verify's items reads
    /// back by id as created; then the pages are followed through nextToken, at most <see cref="ContractOptions.MaxListPages"/>
    /// of them (2 items, then 100 a page), and each must hold at most its limit, items with ids, no id seen on an earlier
    /// page, and a nextToken that is a string or null. Only when the walk reaches the last page must verify's own items be
    /// among those listed. Failures name ids and statuses, never the bodies of items verify did not create.
    /// </summary>
    public async Task<string> ListWithPagingAsync(CancellationToken ct)
    {
        var ours = new List<string> { _itemId! };
        for (int n = 2; n <= 3; n++)
        {
            string document = requests.Document(n, "verify paging item");
            Exchange created = await requests.CreateItemAsync(document, ct);
            Expect.Status(created, 201, $"creating item {n} of 3 for paging: ");
            JsonElement item = Expect.Item(created, document, version: 1);
            string id = item.GetProperty("id").GetString()!;
            ours.Add(id);

            Exchange read = await requests.SendAsync("GET", requests.ItemUri(id).ToString(), requests.Headers(), ct: ct);
            Expect.Status(read, 200, $"reading paging item {n} of 3 ({id}): ");
            if (read.Json() is not { } body || !JsonElement.DeepEquals(body, item))
                throw new CheckFailure($"paging item {n} of 3 ({id}) reads back other than create answered", read);
        }

        var seenOnPage = new Dictionary<string, int>(StringComparer.Ordinal);
        string? nextToken = null;
        int pages = 0, limit = FirstPageLimit;
        do
        {
            string url = $"{requests.ItemsUrl}?{LimitParameter}={limit}" + (nextToken is null ? "" : $"&{NextTokenParameter}={Uri.EscapeDataString(nextToken)}");
            Exchange page = await requests.SendAsync("GET", url, requests.Headers(), ct: ct);
            pages++;
            Expect.Status(page, 200, $"page {pages}: ");
            JsonElement body = page.Json() ?? throw new CheckFailure($"page {pages} is not JSON", page);
            if (!body.TryGetProperty("items", out JsonElement items) || items.ValueKind != JsonValueKind.Array)
                throw new CheckFailure($"page {pages} has no items array", page);
            if (items.GetArrayLength() > limit)
                throw new CheckFailure($"page {pages} has {items.GetArrayLength()} items, more than {LimitParameter}={limit}", page);
            foreach (JsonElement item in items.EnumerateArray())
            {
                if (Expect.IdOf(item) is not { } id) throw new CheckFailure($"page {pages} has an item without an id", page);
                if (seenOnPage.TryGetValue(id, out int earlier))
                    throw new CheckFailure($"item {id} is on page {pages} and again on page {earlier}{(earlier == pages ? " (twice)" : "")}", page);
                seenOnPage[id] = pages;
            }
            if (!body.TryGetProperty(NextTokenParameter, out JsonElement token) || token.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)
                || token.ValueKind == JsonValueKind.String && token.GetString()!.Length == 0)
                throw new CheckFailure($"page {pages} has no {NextTokenParameter} (a non-empty string, or null on the last page)", page);
            nextToken = token.GetString();
            if (pages == 1 && nextToken is null)
                throw new CheckFailure($"the first page ({LimitParameter}={FirstPageLimit}) has no {NextTokenParameter}, though at least 3 items exist", page);
            limit = RouteTable.MaxPageSize;
        } while (nextToken is not null && pages < options.MaxListPages);

        string walked = $"{seenOnPage.Count} items listed once each over {pages} pages ({LimitParameter}={FirstPageLimit}, then {RouteTable.MaxPageSize})";
        if (nextToken is not null)
            return $"{ours.Count} items read back by id; {walked}; stopped after {pages} pages, more remain";
        // The whole table was listed: verify's items must be in it.
        string[] missing = ours.Where(id => !seenOnPage.ContainsKey(id)).ToArray();
        if (missing.Length > 0)
            throw new CheckFailure($"after {pages} pages (the last one, {seenOnPage.Count} items), items {string.Join(", ", missing)} were not listed");
        return $"{ours.Count} items read back by id and listed; {walked}";
    }

    public async Task<string> ReplaceAsync(CancellationToken ct)
    {
        string document = requests.Document(1, "verify item, replaced");
        Exchange exchange = await PutAsync(document, ifMatch: _itemETag, ct);
        Expect.Status(exchange, 200);
        JsonElement item = Expect.Item(exchange, document, version: 2);
        if (item.GetProperty("id").GetString() != _itemId) throw new CheckFailure($"the id changed from {_itemId}", exchange);
        return $"200, ETag {_itemETag}";
    }

    public async Task<string> StaleIfMatchAsync(CancellationToken ct)
    {
        Exchange exchange = await PutAsync(requests.Document(1, "verify item, stale write"), ifMatch: "\"1\"", ct);
        Expect.Status(exchange, 412);
        Expect.Message(exchange);
        return "412";
    }

    public async Task<string> MissingIfMatchAsync(CancellationToken ct)
    {
        Exchange exchange = await PutAsync(requests.Document(1, "verify item, unconditional write"), ifMatch: null, ct);
        Expect.Status(exchange, 428);
        Expect.Message(exchange);
        return "428";
    }

    /// <summary>
    /// A JSON object sent as text/plain: the stage's model covers only application/json, so API Gateway passes the body
    /// on unvalidated, and the function refuses it (415) without storing it.
    /// </summary>
    public async Task<string> NotJsonContentTypeAsync(CancellationToken ct)
    {
        Exchange exchange = await requests.CreateItemAsync("""{"name":"verify item"}""", ct, contentType: "text/plain");
        Expect.Status(exchange, 415);
        string message = JsonBody.UnsupportedContentType("text/plain");
        Expect.Message(exchange, message);
        return $"415 {message}";
    }

    /// <summary>
    /// A create sent twice with one Idempotency-Key, as a client retries after a lost answer: the retry answers the same
    /// item (id, ETag, Location, body) and stores nothing new; the key with another body is refused with the draft's 422.
    /// The item is deleted at the end (and by the cleanup if the check stops before).
    /// </summary>
    public async Task<string> RetriedCreateAsync(CancellationToken ct)
    {
        string key = Guid.NewGuid().ToString();
        string document = requests.Document(1, "verify idempotent create");
        Exchange first = await requests.CreateItemAsync(document, ct, idempotencyKey: key);
        Expect.Status(first, 201, "the first create: ");
        JsonElement item = Expect.Item(first, document, version: 1);
        string id = item.GetProperty("id").GetString()!;

        Exchange retry = await requests.CreateItemAsync(document, ct, idempotencyKey: key);
        Expect.Status(retry, 201, "the retry: ");
        if (retry.Json() is not { } again || !JsonElement.DeepEquals(again, item))
            throw new CheckFailure($"the retry answered another body than the first create (item {id})", retry);
        Expect.Header(retry, "ETag", first.Header("ETag")!);
        Expect.Header(retry, "Location", first.Header("Location")!);

        Exchange other = await requests.CreateItemAsync(requests.Document(2, "verify idempotent create, another body"), ct, idempotencyKey: key);
        Expect.Status(other, 422, "the key with another body: ");
        Expect.Message(other);

        Exchange deleted = await requests.SendAsync("DELETE", requests.ItemUri(id).ToString(), requests.Headers(ifMatch: first.Header("ETag")), ct: ct);
        Expect.Status(deleted, 204, "deleting the item: ");
        requests.Forget(id);
        return $"201 twice with id {id}, 422 for another body; deleted";
    }

    public async Task<string> DeleteAsync(CancellationToken ct)
    {
        string id = _itemId!;
        Exchange deleted = await requests.SendAsync("DELETE", requests.ItemUri(id).ToString(), requests.Headers(ifMatch: _itemETag), ct: ct);
        Expect.Status(deleted, 204);
        requests.Forget(id);
        Exchange read = await requests.SendAsync("GET", requests.ItemUri(id).ToString(), requests.Headers(), ct: ct);
        Expect.Status(read, 404);
        Expect.Message(read);
        return "204, then 404";
    }

    /// <summary>PUTs the working item; a successful write (even one that should have been refused) moves its ETag on, so later checks stay valid.</summary>
    private async Task<Exchange> PutAsync(string body, string? ifMatch, CancellationToken ct)
    {
        Exchange exchange = await requests.SendAsync("PUT", requests.ItemUri(_itemId!).ToString(), requests.Headers(ifMatch: ifMatch), body, ct);
        if (exchange.Status is >= 200 and < 300 && exchange.Header("ETag") is { } etag) _itemETag = etag;
        return exchange;
    }
}
