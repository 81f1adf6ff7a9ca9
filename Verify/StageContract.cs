using System.Globalization;
using System.Text.Json;
using ItemsApi.Core.Http;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.Verify;

/// <summary>
/// The items API's HTTP contract, run against a live stage or the local run alike: CRUD with ETags, paging,
/// the gateway's key, authorizer, validation and CORS answers. Everything it creates is deleted again, whatever
/// happens, and the report never contains the API key or the bearer token.
/// </summary>
public sealed class StageContract
{
    /// <summary>What the stage's gateway answers itself (its gateway responses), word for word as the local run does.</summary>
    private const string ForbiddenMessage = "Forbidden";
    private const string UnauthorizedMessage = "Unauthorized";
    private const string InvalidBodyMessage = "Invalid request body";

    /// <summary>The list route's query parameters (see the list row in <see cref="RouteTable"/>).</summary>
    private const string LimitParameter = "limit";
    private const string NextTokenParameter = "nextToken";
    private const int FirstPageLimit = 2;

    /// <summary>An origin for the preflight when the stage allows any ("*"); the .example domain is reserved and never real.</summary>
    private const string AnyOrigin = "https://verify.example";

    private readonly StageTarget _target;
    private readonly ContractOptions _options;
    private readonly StageClient _client;
    private readonly Redactor _redactor;
    private readonly string _itemsUrl;
    private readonly string _runId;
    private readonly List<CheckResult> _checks = [];
    /// <summary>Ids created and not yet deleted: the cleanup deletes them.</summary>
    private readonly List<string> _created = [];

    // The item the CRUD checks work on, as they go.
    private string? _itemId;
    private JsonElement _itemBody;
    private string _itemETag = "";

    private StageContract(StageTarget target, HttpClient http, ContractOptions options)
    {
        if (target.AuthMode == AuthMode.Iam)
            throw new VerifyConfigException("authMode iam: the stage requires SigV4-signed requests, which verify does not sign. " +
                "Verify a stage in apiKey or apiKey+authorizer mode, or call it with a SigV4-capable client.");
        if (target.AuthMode == AuthMode.ApiKeyAndAuthorizer && string.IsNullOrEmpty(target.BearerToken))
            throw new VerifyConfigException("authMode apiKey+authorizer: pass --token <bearer token> (one whose SHA-256 is in authorizerTokenHashes).");
        if (!target.ItemsUrl.IsAbsoluteUri || target.ItemsUrl.Scheme is not ("http" or "https"))
            throw new VerifyConfigException($"The URL must be an absolute http(s) URL, not '{target.ItemsUrl}'.");

        _target = target;
        _options = options;
        _client = new StageClient(http, options);
        _redactor = new Redactor([target.ApiKey, target.BearerToken]);
        _itemsUrl = target.ItemsUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _runId = $"verify-{options.Clock.GetUtcNow():yyyyMMddTHHmmss}-{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <summary>Runs every check once, in order, then deletes what it created.</summary>
    /// <exception cref="VerifyConfigException">The target cannot be verified (iam mode, a missing token, a bad URL).</exception>
    public static Task<ContractReport> RunAsync(StageTarget target, HttpClient http, ContractOptions? options = null, CancellationToken cancellationToken = default) =>
        new StageContract(target, http, options ?? new ContractOptions()).RunAsync(cancellationToken);

    private async Task<ContractReport> RunAsync(CancellationToken cancellationToken)
    {
        long started = _options.Clock.GetTimestamp();
        try
        {
            await RunChecksAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Record(new CheckResult(CheckNames.Interrupted, CheckStatus.Fail, "cancelled before every check ran"));
        }
        finally
        {
            // Not cancellable: what was created is deleted even after Ctrl-C or a failed check.
            await CleanupAsync();
        }
        string authMode = ConfigKeys.AuthMode.WordFor(_target.AuthMode);
        return new ContractReport(_redactor.Redact(_itemsUrl), authMode, _checks, _client.RequestsSent, _options.Clock.GetElapsedTime(started));
    }

    private async Task RunChecksAsync(CancellationToken ct)
    {
        if (!await CheckAsync(CheckNames.KeyAccepted, WaitForKeyAsync, ct))
        {
            foreach (string name in PlannedChecks().Skip(1)) Skip(name, "not run: the API key was not accepted");
            return;
        }

        bool created = await CheckAsync(CheckNames.Create, CreateAsync, ct);
        await CheckIfAsync(created, CheckNames.Get, GetAsync, ct);
        await CheckIfAsync(created, CheckNames.ListPaging, ListWithPagingAsync, ct);
        bool replaced = await CheckIfAsync(created, CheckNames.Replace, ReplaceAsync, ct);
        await CheckIfAsync(replaced, CheckNames.StaleIfMatch, StaleIfMatchAsync, ct, because: "needs a replaced item");
        await CheckIfAsync(created, CheckNames.MissingIfMatch, MissingIfMatchAsync, ct);
        await CheckAsync(CheckNames.InvalidJson, c => BadBodyAsync("""{"name": "verify item", """, c), ct);
        await CheckAsync(CheckNames.NotAnObject, c => BadBodyAsync("""["verify item"]""", c), ct);
        await CheckAsync(CheckNames.NotJsonContentType, NotJsonContentTypeAsync, ct);
        await CheckAsync(CheckNames.NoApiKey, c => GatewayRefusesAsync(Headers(apiKey: null, token: _target.BearerToken), 403, ForbiddenMessage, c), ct);
        await CheckAsync(CheckNames.WrongApiKey, c => GatewayRefusesAsync(Headers(WrongKey(), _target.BearerToken), 403, ForbiddenMessage, c), ct);
        if (UsesAuthorizer)
            await CheckAsync(CheckNames.NoBearerToken, c => GatewayRefusesAsync(Headers(_target.ApiKey, token: null), 401, UnauthorizedMessage, c), ct);
        if (PreflightOrigin() is null) Skip(CheckNames.CorsPreflight, NoCorsReason());
        else await CheckAsync(CheckNames.CorsPreflight, CorsPreflightAsync, ct);
        await CheckIfAsync(created, CheckNames.Delete, DeleteAsync, ct);
    }

    private bool UsesAuthorizer => _target.AuthMode == AuthMode.ApiKeyAndAuthorizer;

    private IEnumerable<string> PlannedChecks()
    {
        string[] names =
        [
            CheckNames.KeyAccepted, CheckNames.Create, CheckNames.Get, CheckNames.ListPaging, CheckNames.Replace, CheckNames.StaleIfMatch,
            CheckNames.MissingIfMatch, CheckNames.InvalidJson, CheckNames.NotAnObject, CheckNames.NotJsonContentType, CheckNames.NoApiKey, CheckNames.WrongApiKey,
        ];
        return names.Concat(UsesAuthorizer ? [CheckNames.NoBearerToken] : []).Concat([CheckNames.CorsPreflight, CheckNames.Delete]);
    }

    // ---- the checks: each returns a short note when it passes and throws CheckFailure when it does not ----

    /// <summary>A key created by <c>pulumi up</c> can answer 403 for a few seconds: retry on 403 for up to KeyWait.</summary>
    private async Task<string> WaitForKeyAsync(CancellationToken ct)
    {
        long started = _options.Clock.GetTimestamp();
        TimeSpan backoff = TimeSpan.FromSeconds(1);
        int refused = 0;
        while (true)
        {
            Exchange exchange = await SendAsync("GET", $"{_itemsUrl}?{LimitParameter}=1", Headers(), ct: ct);
            TimeSpan waited = _options.Clock.GetElapsedTime(started);
            if (exchange.Status == 403 && waited + backoff <= _options.KeyWait)
            {
                refused++;
                await _options.Delay(backoff, ct);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
                continue;
            }
            if (exchange.Status == 403)
                throw new CheckFailure($"the API key was refused (403) for {Seconds(waited)} (--key-wait {Seconds(_options.KeyWait)}): " +
                    "check the key, and that the usage plan includes this stage", exchange);
            if (exchange.Status == 401) throw new CheckFailure("the bearer token was refused (401): check --token", exchange);
            ExpectStatus(exchange, 200);
            return refused == 0 ? "200" : $"200 after {refused} × 403 over {Seconds(waited)} (a new key takes a few seconds)";
        }
    }

    private async Task<string> CreateAsync(CancellationToken ct)
    {
        string document = Document(1, "verify item");
        Exchange exchange = await CreateItemAsync(document, ct);
        ExpectStatus(exchange, 201);
        JsonElement item = ExpectItem(exchange, document, version: 1);
        string id = item.GetProperty("id").GetString()!;

        string location = exchange.Header("Location") ?? throw new CheckFailure("no Location header", exchange);
        if (!Uri.TryCreate(new Uri(_itemsUrl), location, out Uri? resolved) || resolved.AbsolutePath != ItemUri(id).AbsolutePath)
            throw new CheckFailure($"Location is {location}, expected the item's path {ItemUri(id).AbsolutePath}", exchange);

        (_itemId, _itemBody, _itemETag) = (id, item, exchange.Header("ETag")!);
        return $"201, id {id}, ETag {_itemETag}";
    }

    private async Task<string> GetAsync(CancellationToken ct)
    {
        Exchange exchange = await SendAsync("GET", ItemUri(_itemId!).ToString(), Headers(), ct: ct);
        ExpectStatus(exchange, 200);
        ExpectHeader(exchange, "ETag", _itemETag);
        if (exchange.Json() is not { } body || !JsonElement.DeepEquals(body, _itemBody))
            throw new CheckFailure("the body differs from the one create answered", exchange);
        return $"200, ETag {_itemETag}";
    }

    /// <summary>
    /// Two more items, so a first page of 2 needs a second; then every page is followed through nextToken. The
    /// first page uses limit=2, the rest 100, so a stage with other data is scanned in few requests.
    /// </summary>
    private async Task<string> ListWithPagingAsync(CancellationToken ct)
    {
        var ours = new List<string> { _itemId! };
        for (int n = 2; n <= 3; n++)
        {
            string document = Document(n, "verify paging item");
            Exchange created = await CreateItemAsync(document, ct);
            ExpectStatus(created, 201, $"creating item {n} of 3 for paging: ");
            ours.Add(ExpectItem(created, document, version: 1).GetProperty("id").GetString()!);
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        string? nextToken = null;
        int pages = 0, limit = FirstPageLimit;
        Exchange page;
        do
        {
            string url = $"{_itemsUrl}?{LimitParameter}={limit}" + (nextToken is null ? "" : $"&{NextTokenParameter}={Uri.EscapeDataString(nextToken)}");
            page = await SendAsync("GET", url, Headers(), ct: ct);
            pages++;
            ExpectStatus(page, 200);
            JsonElement body = page.Json() ?? throw new CheckFailure("the page is not JSON", page);
            if (!body.TryGetProperty("items", out JsonElement items) || items.ValueKind != JsonValueKind.Array)
                throw new CheckFailure("the page has no items array", page);
            if (items.GetArrayLength() > limit)
                throw new CheckFailure($"page {pages} has {items.GetArrayLength()} items, more than {LimitParameter}={limit}", page);
            foreach (JsonElement item in items.EnumerateArray())
            {
                if (IdOf(item) is not { } id) throw new CheckFailure($"page {pages} has an item without an id", page);
                seen[id] = seen.GetValueOrDefault(id) + 1;
            }
            if (!body.TryGetProperty(NextTokenParameter, out JsonElement token) || token.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                throw new CheckFailure($"the page has no {NextTokenParameter} (a string, or null on the last page)", page);
            nextToken = token.GetString();
            if (pages == 1 && nextToken is null)
                throw new CheckFailure($"the first page ({LimitParameter}={FirstPageLimit}) has no {NextTokenParameter}, though at least 3 items exist", page);
            limit = RouteTable.MaxPageSize;
        } while (nextToken is not null && pages < _options.MaxListPages);

        if (seen.FirstOrDefault(s => s.Value > 1) is { Key: not null } repeated)
            throw new CheckFailure($"item {repeated.Key} appears {repeated.Value} times across {pages} pages", page);
        string[] missing = ours.Where(id => !seen.ContainsKey(id)).ToArray();
        if (missing.Length > 0)
            throw new CheckFailure(nextToken is null
                ? $"after {pages} pages (the last one), items {string.Join(", ", missing)} were not listed"
                : $"stopped after {pages} pages ({seen.Count} items) without finding items {string.Join(", ", missing)}: the table holds more than verify scans", page);
        return $"{ours.Count} items listed once each over {pages} pages ({LimitParameter}={FirstPageLimit}, then {RouteTable.MaxPageSize})" +
            (nextToken is null ? "" : $"; stopped after {pages} pages, more remain");
    }

    private async Task<string> ReplaceAsync(CancellationToken ct)
    {
        string document = Document(1, "verify item, replaced");
        Exchange exchange = await PutAsync(document, ifMatch: _itemETag, ct);
        ExpectStatus(exchange, 200);
        JsonElement item = ExpectItem(exchange, document, version: 2);
        if (item.GetProperty("id").GetString() != _itemId) throw new CheckFailure($"the id changed from {_itemId}", exchange);
        return $"200, ETag {_itemETag}";
    }

    private async Task<string> StaleIfMatchAsync(CancellationToken ct)
    {
        Exchange exchange = await PutAsync(Document(1, "verify item, stale write"), ifMatch: "\"1\"", ct);
        ExpectStatus(exchange, 412);
        ExpectMessage(exchange);
        return "412";
    }

    private async Task<string> MissingIfMatchAsync(CancellationToken ct)
    {
        Exchange exchange = await PutAsync(Document(1, "verify item, unconditional write"), ifMatch: null, ct);
        ExpectStatus(exchange, 428);
        ExpectMessage(exchange);
        return "428";
    }

    /// <summary>The stage's validator refuses a body that is not a JSON object, in its own words, before the function.</summary>
    private async Task<string> BadBodyAsync(string body, CancellationToken ct)
    {
        Exchange exchange = await CreateItemAsync(body, ct);
        ExpectStatus(exchange, 400);
        ExpectMessage(exchange, InvalidBodyMessage);
        return $"400 {InvalidBodyMessage}";
    }

    /// <summary>
    /// A JSON object sent as text/plain: the stage's model covers only application/json, so API Gateway passes the body
    /// on unvalidated, and the function refuses it (415) without storing it.
    /// </summary>
    private async Task<string> NotJsonContentTypeAsync(CancellationToken ct)
    {
        Exchange exchange = await CreateItemAsync("""{"name":"verify item"}""", ct, contentType: "text/plain");
        ExpectStatus(exchange, 415);
        string message = JsonBody.UnsupportedContentType("text/plain");
        ExpectMessage(exchange, message);
        return $"415 {message}";
    }

    private async Task<string> GatewayRefusesAsync(List<KeyValuePair<string, string>> headers, int status, string message, CancellationToken ct)
    {
        Exchange exchange = await SendAsync("GET", $"{_itemsUrl}?{LimitParameter}=1", headers, ct: ct);
        ExpectStatus(exchange, status);
        ExpectMessage(exchange, message);
        return $"{status} {message}";
    }

    /// <summary>A browser's preflight for a POST from the origin: the stage answers it without a key and allows the origin.</summary>
    private async Task<string> CorsPreflightAsync(CancellationToken ct)
    {
        string origin = PreflightOrigin()!;
        List<KeyValuePair<string, string>> headers =
        [
            KeyValuePair.Create("Origin", origin),
            KeyValuePair.Create("Access-Control-Request-Method", "POST"),
            KeyValuePair.Create("Access-Control-Request-Headers", "content-type,x-api-key"),
        ];
        Exchange exchange = await SendAsync("OPTIONS", _itemsUrl, headers, ct: ct);
        ExpectStatus(exchange, 204);

        IReadOnlyList<string>? origins = _target.CorsAllowedOrigins;
        string? allowed = exchange.Header("Access-Control-Allow-Origin");
        if (origins is not null && !origins.Contains("*") && !origins.Contains(origin))
        {
            // --origin named an origin the stage does not allow: the preflight must not allow it either.
            if (allowed is not null) throw new CheckFailure($"Access-Control-Allow-Origin is {allowed} for {origin}, which is not an allowed origin", exchange);
            return $"204, {origin} not allowed, as configured";
        }
        string[] expected = origins is null ? [origin, "*"] : origins.Contains("*") ? ["*"] : [origin];
        if (allowed is null || !expected.Contains(allowed))
            throw new CheckFailure($"Access-Control-Allow-Origin is {allowed ?? "missing"}, expected {string.Join(" or ", expected)}", exchange);
        string methods = exchange.Header("Access-Control-Allow-Methods") ?? "";
        if (!methods.Split(',').Select(m => m.Trim()).Contains("POST"))
            throw new CheckFailure($"Access-Control-Allow-Methods is '{methods}', expected it to include POST", exchange);
        string allowedHeaders = exchange.Header("Access-Control-Allow-Headers") ?? "";
        if (!allowedHeaders.Split(',').Select(h => h.Trim()).Contains("X-Api-Key", StringComparer.OrdinalIgnoreCase))
            throw new CheckFailure($"Access-Control-Allow-Headers is '{allowedHeaders}', expected it to include X-Api-Key", exchange);
        return $"204, Access-Control-Allow-Origin {allowed} for {origin}";
    }

    private async Task<string> DeleteAsync(CancellationToken ct)
    {
        string id = _itemId!;
        Exchange deleted = await SendAsync("DELETE", ItemUri(id).ToString(), Headers(ifMatch: _itemETag), ct: ct);
        ExpectStatus(deleted, 204);
        _created.Remove(id);
        Exchange read = await SendAsync("GET", ItemUri(id).ToString(), Headers(), ct: ct);
        ExpectStatus(read, 404);
        ExpectMessage(read);
        return "204, then 404";
    }

    /// <summary>Deletes every item still listed as created; 404 means it is gone already.</summary>
    private async Task CleanupAsync()
    {
        var failures = new List<string>();
        int deleted = 0;
        foreach (string id in _created.ToArray())
        {
            Exchange exchange = await SendAsync("DELETE", ItemUri(id).ToString(), Headers(), ct: CancellationToken.None);
            if (exchange.Status is 204 or 404)
            {
                _created.Remove(id);
                deleted++;
            }
            else failures.Add(new CheckFailure($"item {id} was not deleted", exchange).Detail);
        }
        Record(failures.Count == 0
            ? new CheckResult(CheckNames.Cleanup, CheckStatus.Pass, deleted == 0 ? "nothing left to delete" : $"deleted {deleted} items")
            : new CheckResult(CheckNames.Cleanup, CheckStatus.Fail, _redactor.Redact(
                $"{failures.Count} items could not be deleted; delete them by hand\n" + string.Join("\n", failures))));
    }

    // ---- running checks ----

    private async Task<bool> CheckAsync(string name, Func<CancellationToken, Task<string>> check, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            string note = await check(ct);
            Record(new CheckResult(name, CheckStatus.Pass, _redactor.Redact(note)));
            return true;
        }
        catch (CheckFailure failure)
        {
            Record(new CheckResult(name, CheckStatus.Fail, _redactor.Redact(failure.Detail)));
            return false;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // An answer of a shape no check foresaw is still a failed check, not a crash that skips the rest.
            Record(new CheckResult(name, CheckStatus.Fail, _redactor.Redact($"unexpected {exception.GetType().Name}: {exception.Message}")));
            return false;
        }
    }

    private async Task<bool> CheckIfAsync(bool ready, string name, Func<CancellationToken, Task<string>> check, CancellationToken ct,
        string because = "needs a created item")
    {
        if (ready) return await CheckAsync(name, check, ct);
        Skip(name, $"not run: {because}");
        return false;
    }

    private void Skip(string name, string reason) => Record(new CheckResult(name, CheckStatus.Skip, reason));

    private void Record(CheckResult result)
    {
        _checks.Add(result);
        _options.OnCheck?.Invoke(result);
    }

    // ---- requests ----

    private Task<Exchange> SendAsync(string method, string url, List<KeyValuePair<string, string>> headers, string? body = null, CancellationToken ct = default,
        string contentType = JsonBody.ContentType)
    {
        if (body is not null) headers.Add(KeyValuePair.Create("Content-Type", contentType));
        return _client.SendAsync(new RequestSpec(method, new Uri(url), headers, body), ct);
    }

    /// <summary>POSTs a body; whatever the stage created (even from a body it should have refused) is noted for the cleanup.</summary>
    private async Task<Exchange> CreateItemAsync(string body, CancellationToken ct, string contentType = JsonBody.ContentType)
    {
        Exchange exchange = await SendAsync("POST", _itemsUrl, Headers(), body, ct, contentType);
        if (exchange.Status is >= 200 and < 300 && exchange.Json() is { } created && IdOf(created) is { } id && !_created.Contains(id))
            _created.Add(id);
        return exchange;
    }

    /// <summary>PUTs the working item; a successful write (even one that should have been refused) moves its ETag on, so later checks stay valid.</summary>
    private async Task<Exchange> PutAsync(string body, string? ifMatch, CancellationToken ct)
    {
        Exchange exchange = await SendAsync("PUT", ItemUri(_itemId!).ToString(), Headers(ifMatch: ifMatch), body, ct);
        if (exchange.Status is >= 200 and < 300 && exchange.Header("ETag") is { } etag) _itemETag = etag;
        return exchange;
    }

    private List<KeyValuePair<string, string>> Headers(string? ifMatch = null) => Headers(_target.ApiKey, _target.BearerToken, ifMatch);

    private static List<KeyValuePair<string, string>> Headers(string? apiKey, string? token, string? ifMatch = null)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (apiKey is not null) headers.Add(KeyValuePair.Create("x-api-key", apiKey));
        if (token is not null) headers.Add(KeyValuePair.Create("Authorization", $"Bearer {token}"));
        if (ifMatch is not null) headers.Add(KeyValuePair.Create("If-Match", ifMatch));
        return headers;
    }

    private Uri ItemUri(string id) => new($"{_itemsUrl}/{Uri.EscapeDataString(id)}");

    /// <summary>A key of a valid length that no stage has: this run's id makes it unique.</summary>
    private string WrongKey() => $"not-the-api-key-{_runId}";

    /// <summary>The items' documents carry the run's id, so anything left behind is easy to recognize.</summary>
    private string Document(int n, string name) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["name"] = name, ["n"] = n, ["verifyRun"] = _runId });

    /// <summary>The --origin given, else the first configured origin; "*" allows any, so a made-up one is sent.</summary>
    private string? PreflightOrigin()
    {
        if (_target.Origin is not null) return _target.Origin;
        IReadOnlyList<string> origins = _target.CorsAllowedOrigins ?? [];
        return origins.FirstOrDefault(o => o != "*") ?? (origins.Contains("*") ? AnyOrigin : null);
    }

    private string NoCorsReason() => _target.CorsAllowedOrigins is null
        ? "the stack does not say which CORS origins it allows (no corsAllowedOrigins output); pass --origin to check one"
        : "no CORS origins configured";

    // ---- expectations ----

    private static void ExpectStatus(Exchange exchange, int status, string context = "")
    {
        if (exchange.Status is null) throw new CheckFailure($"{context}expected {status}, got no response ({exchange.Error})", exchange);
        if (exchange.Status != status) throw new CheckFailure($"{context}expected {status}, got {exchange.Status}", exchange);
    }

    private static void ExpectHeader(Exchange exchange, string name, string expected)
    {
        string? actual = exchange.Header(name);
        if (actual != expected) throw new CheckFailure($"{name} is {actual ?? "missing"}, expected {expected}", exchange);
    }

    /// <summary>An error body is a JSON object with a <c>message</c> in our words: exactly <paramref name="expected"/> when given.</summary>
    private static void ExpectMessage(Exchange exchange, string? expected = null)
    {
        ExpectJsonContentType(exchange);
        string? message = exchange.Json() is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("message", out JsonElement m)
            && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        if (string.IsNullOrEmpty(message)) throw new CheckFailure("the body is not a JSON object with a message", exchange);
        if (expected is not null && message != expected) throw new CheckFailure($"the message is \"{message}\", expected \"{expected}\"", exchange);
    }

    private static void ExpectJsonContentType(Exchange exchange)
    {
        string? contentType = exchange.Header("Content-Type");
        if (contentType is null || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            throw new CheckFailure($"Content-Type is {contentType ?? "missing"}, expected application/json", exchange);
    }

    /// <summary>An item answer: id, the version (also as the ETag), timestamps, and the document unchanged under data.</summary>
    private static JsonElement ExpectItem(Exchange exchange, string document, long version)
    {
        ExpectJsonContentType(exchange);
        if (exchange.Json() is not { ValueKind: JsonValueKind.Object } item) throw new CheckFailure("the body is not a JSON object", exchange);
        if (IdOf(item) is null) throw new CheckFailure("the item has no id", exchange);
        if (!item.TryGetProperty("version", out JsonElement v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long actual) || actual != version)
            throw new CheckFailure($"the item's version is not {version}", exchange);
        foreach (string stamp in new[] { "createdAt", "updatedAt" })
            if (!item.TryGetProperty(stamp, out JsonElement at) || at.ValueKind != JsonValueKind.String)
                throw new CheckFailure($"the item has no {stamp}", exchange);
        using JsonDocument sent = JsonDocument.Parse(document);
        if (!item.TryGetProperty("data", out JsonElement data) || !JsonElement.DeepEquals(data, sent.RootElement))
            throw new CheckFailure("the item's data is not the document sent", exchange);
        ExpectHeader(exchange, "ETag", $"\"{version.ToString(CultureInfo.InvariantCulture)}\"");
        return item;
    }

    /// <summary>An item's id: a non-empty string property "id" of a JSON object, else null.</summary>
    private static string? IdOf(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out JsonElement id) && id.ValueKind == JsonValueKind.String
            && id.GetString() is { Length: > 0 } text ? text : null;

    private static string Seconds(TimeSpan time) => $"{time.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";
}
