using System.Text;
using ItemsApi.Core.Http;

namespace ItemsApi.Core.Tests;

/// <summary>
/// Hostile and careless requests. Each must get its 4xx with a JSON message, and the table must be
/// byte-for-byte what it was before.
/// </summary>
[Collection(DynamoDbCollection.Name), Trait("Category", DynamoDbCollection.Name)]
public sealed class BadInputCorpusTests(DynamoDbFixture dynamoDb) : IAsyncLifetime
{
    /// <summary>Replaced with the id of an item that exists (version 1).</summary>
    private const string Known = "{known}";

    private TestTable _table = null!;
    private ApiClient _api = null!;
    private string _knownId = null!;

    /// <summary>The table every case runs against: each case proves it changed nothing, so one table serves them all.</summary>
    private sealed record CorpusTable(TestTable Table, string KnownId) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Table.DisposeAsync();
    }

    public async Task InitializeAsync()
    {
        CorpusTable corpusTable = await dynamoDb.SharedAsync(nameof(BadInputCorpusTests), async fixture =>
        {
            TestTable table = await fixture.CreateTableAsync();
            var api = new ApiClient(table.Handler());
            string knownId = (await api.CreateAsync("""{"keep":"me"}""")).GetProperty("id").GetString()!;
            await api.CreateAsync("""{"other":[1,2,3]}""");
            return new CorpusTable(table, knownId);
        });
        (_table, _knownId) = (corpusTable.Table, corpusTable.KnownId);
        _api = new ApiClient(_table.Handler());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public sealed record BadRequest(string Method, string Path, string? Body, int Status, string? IfMatch = null, bool Base64 = false);

    private static readonly Dictionary<string, BadRequest> Corpus = BuildCorpus();

    public static TheoryData<string> Cases => new(Corpus.Keys);

    [Fact]
    public void The_corpus_has_at_least_100_cases() => Assert.True(Corpus.Count >= 100, $"{Corpus.Count} cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_a_4xx_and_changes_nothing(string name)
    {
        BadRequest bad = Corpus[name];
        string before = await _table.SnapshotAsync();

        var headers = new Dictionary<string, string>();
        if (bad.IfMatch is not null) headers["If-Match"] = bad.IfMatch;
        ApiResponse response = await _api.SendAsync(bad.Method, bad.Path.Replace(Known, _knownId), bad.Body, headers, bad.Base64);

        Assert.Equal(bad.Status, response.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(ApiClient.Json(response).GetProperty("message").GetString()));
        Assert.Equal(before, await _table.SnapshotAsync());
    }

    private static Dictionary<string, BadRequest> BuildCorpus()
    {
        var corpus = new Dictionary<string, BadRequest>();
        void Add(string name, BadRequest request) => corpus.Add(name, request);

        // Bodies that are not a JSON object, sent both to create and to replace.
        string[] malformed =
        [
            "{", "}", "{\"a\":}", "{\"a\" 1}", "{'a':1}", "{a:1}", "{\"a\":1,}", "{\"a\":1}}", "{\"a\":1} x", "{\"a\":tru}",
            "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":\"\\x\"}", "{\"a\":\"open}",
            "{\"a\":\"line\nbreak\"}", "{\"a\":1}/*c*/", "// c\n{}", "{\"a\":1,\"a\":2}", "{\"\\uD800\":1}", "{\"a\":\"\\uDC00\"}",
            "[1,2", "{\"a\":[1,2}", "<xml/>", "a=1&b=2",
        ];
        string[] notObjects = ["[]", "[1,2]", "[{}]", "\"text\"", "42", "-1.5", "true", "false", "null", "\"\"", " ", "\n\t"];
        foreach ((string body, int i) in malformed.Concat(notObjects).Select((b, i) => (b, i)))
        {
            Add($"POST body #{i}: {Shorten(body)}", new("POST", "/items", body, 400));
            Add($"PUT body #{i}: {Shorten(body)}", new("PUT", $"/items/{Known}", body, 400, IfMatch: "\"1\""));
        }
        Add("POST with no body", new("POST", "/items", null, 400));
        Add("POST with an empty body", new("POST", "/items", "", 400));
        Add("PUT with no body", new("PUT", $"/items/{Known}", null, 400, IfMatch: "\"1\""));

        // Nesting and size.
        Add("object nested 65 deep", new("POST", "/items", Nested(65), 400));
        Add("arrays nested 70 deep", new("POST", "/items", "{\"a\":" + new string('[', 70) + new string(']', 70) + "}", 400));
        Add("just over the size limit", new("POST", "/items", BigObject(JsonBody.MaxDocumentBytes + 1), 413));
        Add("a megabyte", new("POST", "/items", BigObject(1_000_000), 413));
        Add("replace with a megabyte", new("PUT", $"/items/{Known}", BigObject(1_000_000), 413, IfMatch: "\"1\""));
        Add("few characters, too many UTF-8 bytes", new("POST", "/items", "{\"a\":\"" + new string('☕', 150_000) + "\"}", 413));
        Add("a megabyte, base64", new("POST", "/items", Base64(BigObject(1_000_000)), 413, Base64: true));

        // Base64 bodies.
        Add("base64 that is not base64", new("POST", "/items", "!!!not base64!!!", 400, Base64: true));
        Add("base64 of text", new("POST", "/items", Base64("hello"), 400, Base64: true));
        Add("base64 of an array", new("POST", "/items", Base64("[1]"), 400, Base64: true));
        Add("base64 of invalid UTF-8", new("POST", "/items", Convert.ToBase64String([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]), 400, Base64: true));
        Add("a raw lone surrogate in the text", new("POST", "/items", "{\"a\":\"\uD800\"}", 400));
        Add("base64 of nothing", new("POST", "/items", "", 400, Base64: true));
        Add("base64 of only whitespace", new("POST", "/items", " \r\n ", 400, Base64: true));
        Add("replace with base64 of only whitespace", new("PUT", $"/items/{Known}", "  ", 400, IfMatch: "\"1\"", Base64: true));
        Add("base64 as long as the largest document's, not base64", new("POST", "/items", new string('!', JsonBody.MaxBase64Length), 400, Base64: true));
        Add("base64 longer than the largest document's, not base64", new("POST", "/items", new string('!', JsonBody.MaxBase64Length + 1), 413, Base64: true));

        // Ids that cannot be ours: never a DynamoDB error.
        string[] oddIds =
        [
            "abc", "01ARZ3NDEKTSV4RRFFQ69G5FA", "01ARZ3NDEKTSV4RRFFQ69G5FAVV", "01arz3ndektsv4rrffq69g5fav", "01ARZ3NDEKTSV4RRFFQ69G5FAU",
            "81ARZ3NDEKTSV4RRFFQ69G5FAV", "%00", "..", "%2F", "'%20OR%201=1", new string('A', 2000), "%C3%BCn%C3%AFcode", "null", "%7Bid%7D",
        ];
        foreach ((string id, int i) in oddIds.Select((id, i) => (id, i)))
        {
            Add($"GET odd id #{i}: {Shorten(id)}", new("GET", $"/items/{id}", null, 404));
            Add($"PUT odd id #{i}: {Shorten(id)}", new("PUT", $"/items/{id}", "{}", 404, IfMatch: "\"1\""));
            Add($"DELETE odd id #{i}: {Shorten(id)}", new("DELETE", $"/items/{id}", null, 404));
        }

        // Listing parameters.
        foreach (string limit in new[] { "0", "101", "-1", "abc", "1.5", "", "%205", "5%20", "1e2", "99999999999", "%2B5", "0x10" })
            Add($"limit={limit}", new("GET", $"/items?limit={limit}", null, 400));
        foreach (string token in new[]
                 {
                     "", "garbage!", "%21%21%21", Base64Url("v2:01ARZ3NDEKTSV4RRFFQ69G5FAV"), Base64Url("v1:bad"),
                     Base64Url("v1:01arz3ndektsv4rrffq69g5fav"), Base64Url("v1:" + new string('A', 200)), "v1:01ARZ3NDEKTSV4RRFFQ69G5FAV",
                     // A token of ours padded with whitespace, which base64url decoding would skip.
                     "%20" + Base64Url("v1:01ARZ3NDEKTSV4RRFFQ69G5FAV"), Base64Url("v1:01ARZ3NDEKTSV4RRFFQ69G5FAV") + "%0A",
                 })
            Add($"nextToken={Shorten(token)}", new("GET", $"/items?nextToken={token}", null, 400));

        // Methods and paths the API does not have (TRACE: a method no route can have, RouteSet.Methods).
        foreach ((string method, string path) in new[]
                 {
                     ("TRACE", "/items"), ("DELETE", "/items"), ("PUT", "/items"), ("OPTIONS", "/items"), ("POST", $"/items/{Known}"),
                     ("TRACE", $"/items/{Known}"), ("post", "/items"), ("HEAD", $"/items/{Known}"),
                 })
            Add($"{method} {path}", new(method, path, "{}", 405));
        foreach (string path in new[] { "/", "/item", "/items/a/b", "/ITEMS", "/items/x/../y" })
            Add($"GET {path}", new("GET", path, null, 404));

        // Preconditions.
        Add("PUT without If-Match", new("PUT", $"/items/{Known}", "{}", 428));
        foreach ((string ifMatch, int i) in new[] { "1", "\"abc\"", "\"0\"", "\"-1\"", "W/\"1\"", "\"1\", \"2\"", "\"\"", " ", "\"1", "\"99999999999999999999\"", "'1'" }.Select((v, i) => (v, i)))
        {
            Add($"PUT If-Match #{i}: {ifMatch}", new("PUT", $"/items/{Known}", "{}", 400, IfMatch: ifMatch));
            Add($"DELETE If-Match #{i}: {ifMatch}", new("DELETE", $"/items/{Known}", null, 400, IfMatch: ifMatch));
        }
        Add("PUT stale If-Match", new("PUT", $"/items/{Known}", "{}", 412, IfMatch: "\"2\""));
        Add("DELETE stale If-Match", new("DELETE", $"/items/{Known}", null, 412, IfMatch: "\"5\""));
        return corpus;
    }

    private static string Nested(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    private static string BigObject(int bytes) => "{\"pad\":\"" + new string('x', bytes) + "\"}";

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Base64Url(string text) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    private static string Shorten(string text) =>
        (text.Length > 24 ? text[..24] + $"…({text.Length})" : text).Replace("\n", "\\n").Replace("\t", "\\t");
}
