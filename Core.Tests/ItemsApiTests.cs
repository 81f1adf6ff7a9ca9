using System.Text;
using System.Text.Json;
using ItemsApi.Core.Http;
using ItemsApi.Core.Routes;
using ItemsApi.Core.Items;

namespace ItemsApi.Core.Tests;

/// <summary>
/// Every route and every status the API answers with, on the in-memory store (no DynamoDB server needed);
/// <see cref="DynamoItemsApiTests"/> runs what depends on DynamoDB itself.
/// </summary>
public sealed class ItemsApiTests
{
    private readonly InMemoryItemStore _store = new(TimeProvider.System);
    private readonly ApiClient _api;

    public ItemsApiTests() => _api = new ApiClient(new ItemsApiHandler(_store, CorsPolicy.Disabled));

    private ApiClient WithCors(params string[] origins) => new(new ItemsApiHandler(_store, new CorsPolicy(origins)));

    [Fact]
    public async Task Post_stores_the_body_and_assigns_id_version_and_timestamps()
    {
        ApiResponse response = await _api.SendAsync("POST", "/items", """{ "name": "lamp", "tags": ["a", "b"], "price": 12.50 }""");

        Assert.Equal(201, response.StatusCode);
        JsonElement item = ApiClient.Json(response);
        string id = item.GetProperty("id").GetString()!;
        Assert.True(Items.ItemId.IsValid(id));
        Assert.Equal(1, item.GetProperty("version").GetInt64());
        Assert.Equal("\"1\"", response.Headers["ETag"]);
        Assert.Equal($"/test/items/{id}", response.Headers["Location"]);
        Assert.Equal("application/json", response.Headers["Content-Type"]);
        Assert.Equal("""{"name":"lamp","tags":["a","b"],"price":12.50}""", item.GetProperty("data").GetRawText());
        DateTimeOffset created = DateTimeOffset.Parse(item.GetProperty("createdAt").GetString()!);
        Assert.Equal(TimeSpan.Zero, created.Offset);
        Assert.InRange(DateTimeOffset.UtcNow - created, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Assert.EndsWith("Z", item.GetProperty("createdAt").GetString());
        Assert.Equal(item.GetProperty("createdAt").GetString(), item.GetProperty("updatedAt").GetString());

        ApiResponse read = await _api.SendAsync("GET", $"/items/{id}");
        Assert.Equal(200, read.StatusCode);
        Assert.Equal("\"1\"", read.Headers["ETag"]);
        Assert.Equal(item.GetRawText(), ApiClient.Json(read).GetRawText());
    }

    [Fact]
    public async Task Base64_encoded_bodies_are_decoded()
    {
        string body = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"emoji":"☕","n":1}"""));
        ApiResponse response = await _api.SendAsync("POST", "/items", body, base64: true);
        Assert.Equal(201, response.StatusCode);
        Assert.Equal("☕", ApiClient.Json(response).GetProperty("data").GetProperty("emoji").GetString());
    }

    [Fact]
    public async Task Get_of_an_unknown_id_is_404_with_a_json_message()
    {
        ApiResponse response = await _api.SendAsync("GET", "/items/01ARZ3NDEKTSV4RRFFQ69G5FAV");
        Assert.Equal(404, response.StatusCode);
        JsonElement error = ApiClient.Json(response);
        Assert.Equal("Item not found.", error.GetProperty("message").GetString());
        Assert.StartsWith("req-", error.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task Put_replaces_the_document_and_bumps_the_version()
    {
        JsonElement created = await _api.CreateAsync("""{"v":1}""");
        string id = created.GetProperty("id").GetString()!;

        ApiResponse replaced = await _api.SendAsync("PUT", $"/items/{id}", """{"v":2}""", ApiClient.IfMatch("\"1\""));

        Assert.Equal(200, replaced.StatusCode);
        Assert.Equal("\"2\"", replaced.Headers["ETag"]);
        JsonElement item = ApiClient.Json(replaced);
        Assert.Equal(2, item.GetProperty("version").GetInt64());
        Assert.Equal("""{"v":2}""", item.GetProperty("data").GetRawText());
        Assert.Equal(created.GetProperty("createdAt").GetString(), item.GetProperty("createdAt").GetString());
        Assert.True(string.CompareOrdinal(item.GetProperty("updatedAt").GetString(), created.GetProperty("updatedAt").GetString()) >= 0);
    }

    [Fact]
    public async Task Put_without_if_match_is_428_and_with_a_stale_version_is_412()
    {
        string id = (await _api.CreateAsync("""{"v":1}""")).GetProperty("id").GetString()!;
        string before = await StoreSnapshot.Of(_store);

        Assert.Equal(428, (await _api.SendAsync("PUT", $"/items/{id}", """{"v":2}""")).StatusCode);
        Assert.Equal(412, (await _api.SendAsync("PUT", $"/items/{id}", """{"v":2}""", ApiClient.IfMatch("\"7\""))).StatusCode);
        Assert.Equal(before, await StoreSnapshot.Of(_store));

        Assert.Equal(200, (await _api.SendAsync("PUT", $"/items/{id}", """{"v":2}""", ApiClient.IfMatch("\"1\""))).StatusCode);
        Assert.Equal(412, (await _api.SendAsync("PUT", $"/items/{id}", """{"v":3}""", ApiClient.IfMatch("\"1\""))).StatusCode);
    }

    [Fact]
    public async Task Put_with_if_match_star_replaces_whatever_version_is_stored()
    {
        string id = (await _api.CreateAsync("""{"v":1}""")).GetProperty("id").GetString()!;
        ApiResponse response = await _api.SendAsync("PUT", $"/items/{id}", """{"v":2}""", ApiClient.IfMatch("*"));
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers["ETag"]);
    }

    [Fact]
    public async Task Put_and_delete_of_a_missing_item_are_404()
    {
        const string missing = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
        Assert.Equal(404, (await _api.SendAsync("PUT", $"/items/{missing}", "{}", ApiClient.IfMatch("\"1\""))).StatusCode);
        Assert.Equal(404, (await _api.SendAsync("DELETE", $"/items/{missing}")).StatusCode);
        Assert.Equal(404, (await _api.SendAsync("DELETE", $"/items/{missing}", headers: ApiClient.IfMatch("\"1\""))).StatusCode);
        Assert.Equal("", await StoreSnapshot.Of(_store));
    }

    [Fact]
    public async Task Delete_removes_the_item_and_honours_if_match()
    {
        string id = (await _api.CreateAsync("""{"v":1}""")).GetProperty("id").GetString()!;

        Assert.Equal(412, (await _api.SendAsync("DELETE", $"/items/{id}", headers: ApiClient.IfMatch("\"2\""))).StatusCode);
        Assert.Equal(200, (await _api.SendAsync("GET", $"/items/{id}")).StatusCode);

        ApiResponse deleted = await _api.SendAsync("DELETE", $"/items/{id}", headers: ApiClient.IfMatch("\"1\""));
        Assert.Equal(204, deleted.StatusCode);
        Assert.Null(deleted.Body);
        Assert.Equal(404, (await _api.SendAsync("GET", $"/items/{id}")).StatusCode);

        string other = (await _api.CreateAsync("""{"v":1}""")).GetProperty("id").GetString()!;
        Assert.Equal(204, (await _api.SendAsync("DELETE", $"/items/{other}")).StatusCode);
        Assert.Equal(404, (await _api.SendAsync("DELETE", $"/items/{other}")).StatusCode);
    }

    [Fact]
    public async Task Another_method_on_a_known_path_is_405_with_allow_and_an_unknown_path_is_404()
    {
        ApiResponse notAllowed = await _api.SendAsync("TRACE", "/items");
        Assert.Equal(405, notAllowed.StatusCode);
        Assert.Equal(string.Join(", ", RouteTableTests.MethodsOf(RouteTable.ItemsPath)), notAllowed.Headers["Allow"]);
        Assert.Equal(string.Join(", ", RouteTableTests.MethodsOf(RouteTable.ItemPath)), (await _api.SendAsync("TRACE", "/items/01ARZ3NDEKTSV4RRFFQ69G5FAV")).Headers["Allow"]);
        Assert.Equal(404, (await _api.SendAsync("GET", "/nothing")).StatusCode);
        Assert.Equal("Not Found", ApiClient.Json(await _api.SendAsync("GET", "/items/a/b")).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Listing_defaults_to_25_items()
    {
        for (int i = 0; i < 27; i++) await _api.CreateAsync("{}");
        JsonElement page = ApiClient.Json(await _api.SendAsync("GET", "/items"));
        Assert.Equal(25, page.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.String, page.GetProperty("nextToken").ValueKind);
    }

    [Fact]
    public async Task Allowed_origins_get_cors_headers_on_every_answer()
    {
        var api = WithCors("https://app.example.com");
        var fromApp = new Dictionary<string, string> { ["Origin"] = "https://app.example.com" };

        ApiResponse created = await api.SendAsync("POST", "/items", "{}", fromApp);
        Assert.Equal("https://app.example.com", created.Headers["Access-Control-Allow-Origin"]);
        Assert.Contains("ETag", created.Headers["Access-Control-Expose-Headers"]);
        Assert.Equal("https://app.example.com", (await api.SendAsync("GET", "/items/x", headers: fromApp)).Headers["Access-Control-Allow-Origin"]);

        ApiResponse other = await api.SendAsync("GET", "/items", headers: new Dictionary<string, string> { ["Origin"] = "https://evil.example" });
        Assert.False(other.Headers.ContainsKey("Access-Control-Allow-Origin"));
        Assert.Equal("Origin", other.Headers["Vary"]);
    }

    [Fact]
    public async Task The_function_answers_preflight_when_cors_is_on_and_405_when_it_is_off()
    {
        var fromApp = new Dictionary<string, string> { ["Origin"] = "https://app.example.com" };
        ApiResponse preflight = await WithCors("https://app.example.com").SendAsync("OPTIONS", "/items/x", headers: fromApp);
        Assert.Equal(204, preflight.StatusCode);
        Assert.Equal(string.Join(",", RouteTableTests.MethodsOf(RouteTable.ItemPath).Append("OPTIONS")), preflight.Headers["Access-Control-Allow-Methods"]);
        Assert.Equal(CorsPolicy.BaseAllowedHeaders, preflight.Headers["Access-Control-Allow-Headers"]);

        // CORS turned off while a stale OPTIONS method still reaches the function: a clean JSON 4xx.
        ApiResponse off = await _api.SendAsync("OPTIONS", "/items/x", headers: fromApp);
        Assert.Equal(405, off.StatusCode);
        Assert.Equal(string.Join(", ", RouteTableTests.MethodsOf(RouteTable.ItemPath)), off.Headers["Allow"]);
        Assert.False(off.Headers.ContainsKey("Access-Control-Allow-Origin"));
        Assert.StartsWith("Method OPTIONS is not allowed", ApiClient.Json(off).GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(new[] { "https://a.example.com" }, "https://a.example.com")]
    [InlineData(new[] { "*" }, "*")]
    [InlineData(new[] { "https://a.example.com", "https://b.example.com" }, null)]
    [InlineData(new[] { "https://a.example.com", "*" }, "*")]
    public void Gateway_responses_allow_an_origin_only_when_one_fixed_value_fits_every_caller(string[] origins, string? expected) =>
        Assert.Equal(expected, new CorsPolicy(origins).GatewayResponseAllowOrigin);


    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Priming_reads_one_item_that_cannot_exist_with_or_without_the_request_path_and_stores_nothing(bool warmRequestPath)
    {
        // The read is what sets up the client, credentials, signer and connection: the part every build keeps.
        var reads = new List<string>();
        var store = new RecordingStore(_store, reads);
        await new ItemsApiHandler(store, CorsPolicy.Disabled).PrimeAsync(warmRequestPath);
        Assert.Equal(["00000000000000000000000000"], reads);
        Assert.Equal("", await StoreSnapshot.Of(_store));
    }

    [Fact]
    public async Task A_failure_while_priming_is_logged_and_does_not_stop_the_function()
    {
        var log = new List<LogEntry>();
        await new ItemsApiHandler(new RecordingStore(_store, [], fail: true), CorsPolicy.Disabled, log.Add).PrimeAsync();
        LogEntry entry = Assert.Single(log);
        Assert.Equal(LogEntry.PrimeFailedTemplate, entry.Template);
        Assert.Equal("Priming the request path failed with System.InvalidOperationException: store broken", entry.Render());
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("100", 100)]
    public async Task The_smallest_and_largest_page_size_are_accepted(string limit, int expectedItems)
    {
        for (int i = 0; i < 101; i++) await _store.CreateAsync("{}");
        JsonElement page = ApiClient.Json(await _api.SendAsync("GET", $"/items?limit={limit}"));
        Assert.Equal(expectedItems, page.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.String, page.GetProperty("nextToken").ValueKind);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData(" 5")]
    [InlineData("5.0")]
    [InlineData("ten")]
    [InlineData("")]
    [InlineData("99999999999")]
    public async Task A_page_size_out_of_range_or_not_a_whole_number_is_400_with_the_range(string limit)
    {
        ApiResponse response = await _api.SendAsync("GET", $"/items?limit={Uri.EscapeDataString(limit)}");
        Assert.Equal(400, response.StatusCode);
        Assert.Equal("limit must be a whole number from 1 to 100.", ApiClient.Json(response).GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_last_page_has_a_null_next_token_and_a_forged_token_is_400()
    {
        string[] ids = [(await _api.CreateAsync("""{"n":1}""")).GetProperty("id").GetString()!, (await _api.CreateAsync("""{"n":2}""")).GetProperty("id").GetString()!];
        JsonElement first = ApiClient.Json(await _api.SendAsync("GET", "/items?limit=1"));
        string token = first.GetProperty("nextToken").GetString()!;
        JsonElement last = ApiClient.Json(await _api.SendAsync("GET", $"/items?limit=1&nextToken={token}"));
        Assert.Equal(JsonValueKind.Null, last.GetProperty("nextToken").ValueKind);
        Assert.Equal(ids, new[] { first, last }.Select(page => page.GetProperty("items")[0].GetProperty("id").GetString()));
        // Each listed item has the shape a read returns.
        Assert.Equal(ApiClient.Json(await _api.SendAsync("GET", $"/items/{ids[0]}")).GetRawText(), first.GetProperty("items")[0].GetRawText());

        ApiResponse forged = await _api.SendAsync("GET", "/items?nextToken=abc");
        Assert.Equal(400, forged.StatusCode);
        Assert.Equal("nextToken is not valid; pass the nextToken of the previous page unchanged.", ApiClient.Json(forged).GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_empty_listing_is_an_empty_page_with_a_null_next_token() =>
        Assert.Equal("""{"items":[],"nextToken":null}""", (await _api.SendAsync("GET", "/items")).Body);

    [Fact]
    public async Task Each_refusal_of_a_write_says_what_to_send()
    {
        string id = (await _api.CreateAsync("""{"v":1}""")).GetProperty("id").GetString()!;
        string Message(ApiResponse response) => ApiClient.Json(response).GetProperty("message").GetString()!;

        Assert.Equal("If-Match is required: send the ETag you read, e.g. If-Match: \"1\".", Message(await _api.SendAsync("PUT", $"/items/{id}", "{}")));
        ApiResponse stale = await _api.SendAsync("PUT", $"/items/{id}", "{}", ApiClient.IfMatch("\"2\""));
        Assert.Equal(412, stale.StatusCode);
        Assert.Equal("The item has changed since you read it; GET it again and retry with the new ETag.", Message(stale));
        Assert.Equal("The item has changed since you read it; GET it again and retry with the new ETag.",
            Message(await _api.SendAsync("DELETE", $"/items/{id}", headers: ApiClient.IfMatch("\"2\""))));
        foreach (string method in new[] { "PUT", "DELETE" })
        {
            ApiResponse malformed = await _api.SendAsync(method, $"/items/{id}", "{}", ApiClient.IfMatch("1"));
            Assert.Equal(400, malformed.StatusCode);
            Assert.Equal("If-Match must be the item's ETag, e.g. \"3\" (with the quotes), or *.", Message(malformed));
        }
        ApiResponse notJson = await _api.SendAsync("PUT", $"/items/{id}", "[1]", ApiClient.IfMatch("\"1\""));
        Assert.Equal(400, notJson.StatusCode);
        Assert.Equal("The body must be a JSON object, not an array.", Message(notJson));
        Assert.Equal("The body must be a JSON object, not an array.", Message(await _api.SendAsync("POST", "/items", "[1]")));
        Assert.Equal(1, ApiClient.Json(await _api.SendAsync("GET", $"/items/{id}")).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_write_to_an_id_that_cannot_exist_is_404_before_its_headers_or_body_are_read()
    {
        foreach (string method in new[] { "PUT", "DELETE" })
        {
            ApiResponse response = await _api.SendAsync(method, "/items/not-an-id", "[not json", ApiClient.IfMatch("malformed"));
            Assert.Equal(404, response.StatusCode);
            Assert.Equal("Item not found.", ApiClient.Json(response).GetProperty("message").GetString());
        }
        Assert.Equal(404, (await _api.SendAsync("GET", "/items/not-an-id")).StatusCode);
    }

    [Fact]
    public async Task A_method_not_allowed_names_the_method_and_the_path_template()
    {
        ApiResponse response = await _api.SendAsync("TRACE", "/items/01ARZ3NDEKTSV4RRFFQ69G5FAV");
        Assert.Equal("""{"message":"Method TRACE is not allowed on /items/{id}.","requestId":"req-1"}""", response.Body);
        Assert.Equal("application/json", response.Headers["Content-Type"]);
    }

    [Fact]
    public async Task Location_is_built_from_the_public_path_or_else_the_path_without_a_trailing_slash()
    {
        var handler = new ItemsApiHandler(_store, CorsPolicy.Disabled);
        ApiResponse direct = await handler.HandleAsync(new ApiRequest { Method = "POST", Path = "/items/", Body = "{}" });
        string id = ApiClient.Json(direct).GetProperty("id").GetString()!;
        Assert.Equal($"/items/{id}", direct.Headers["Location"]);
        ApiResponse staged = await handler.HandleAsync(new ApiRequest { Method = "POST", Path = "/items", PublicPath = "/dev/items/", Body = "{}" });
        Assert.Equal($"/dev/items/{ApiClient.Json(staged).GetProperty("id").GetString()}", staged.Headers["Location"]);
    }

    [Fact]
    public async Task The_route_the_gateway_matched_is_used_instead_of_matching_the_path_again()
    {
        // A Lambda proxy event carries the resource template and decoded parameters; the path is only informative.
        string id = (await _api.CreateAsync("""{"v":1}""")).GetProperty("id").GetString()!;
        var handler = new ItemsApiHandler(_store, CorsPolicy.Disabled);
        ApiResponse response = await handler.HandleAsync(new ApiRequest
        {
            Method = "GET", Path = "/something/else",
            Match = Routes.RouteTable.MatchTemplate("GET", Routes.RouteTable.ItemPath, new Dictionary<string, string> { ["id"] = id }),
        });
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(id, ApiClient.Json(response).GetProperty("id").GetString());
    }

    [Fact]
    public async Task An_error_body_is_compact_json_with_the_message_and_the_request_id_and_text_stays_readable()
    {
        ApiResponse response = await _api.SendAsync("GET", "/items/01ARZ3NDEKTSV4RRFFQ69G5FAV");
        Assert.Equal("""{"message":"Item not found.","requestId":"req-1"}""", response.Body);
        ApiResponse created = await _api.SendAsync("POST", "/items", """{"t":"café <b> & 'x'"}""");
        Assert.EndsWith(",\"data\":{\"t\":\"café <b> & 'x'\"}}", created.Body);
    }

    [Fact]
    public async Task A_failing_store_is_a_500_that_names_nothing_internal_and_the_log_gets_the_detail()
    {
        var log = new List<LogEntry>();
        var api = new ApiClient(new ItemsApiHandler(new RecordingStore(_store, [], fail: true), new CorsPolicy(["*"]), log.Add));
        ApiResponse response = await api.SendAsync("GET", "/items/01ARZ3NDEKTSV4RRFFQ69G5FAV");
        Assert.Equal(500, response.StatusCode);
        Assert.Equal("""{"message":"Internal server error","requestId":"req-1"}""", response.Body);
        Assert.Equal("*", response.Headers["Access-Control-Allow-Origin"]); // a browser can read the error too
        Assert.Equal("GET /items/01ARZ3NDEKTSV4RRFFQ69G5FAV failed with System.InvalidOperationException: store broken, API Gateway request req-1",
            Assert.Single(log).Render());
    }

    [Fact]
    public async Task A_stored_document_that_is_not_json_is_a_500_and_never_a_broken_body()
    {
        // Something other than this API wrote the item (by hand in the console, a script): its document is not JSON.
        StoredItem item = await _store.CreateAsync("{\"cut\":");
        var log = new List<LogEntry>();
        var api = new ApiClient(new ItemsApiHandler(_store, CorsPolicy.Disabled, log.Add));

        foreach (string path in new[] { $"/items/{item.Id}", "/items" })
        {
            ApiResponse response = await api.SendAsync("GET", path);
            Assert.Equal(500, response.StatusCode);
            Assert.Equal("Internal server error", ApiClient.Json(response).GetProperty("message").GetString());
        }
        Assert.Equal(2, log.Count);
        Assert.All(log, entry => Assert.Equal(LogEntry.RequestFailedTemplate, entry.Template));
    }

    [Fact]
    public async Task A_request_that_carries_no_id_is_answered_with_an_empty_request_id_still_a_string()
    {
        ApiResponse response = await new ItemsApiHandler(_store, CorsPolicy.Disabled).HandleAsync(new ApiRequest { Method = "GET", Path = "/nowhere" });
        Assert.Equal("""{"message":"Not Found","requestId":""}""", response.Body);
    }

    [Fact]
    public async Task Priming_that_is_cancelled_is_not_swallowed()
    {
        var log = new List<LogEntry>();
        var handler = new ItemsApiHandler(new RecordingStore(_store, [], cancel: true), CorsPolicy.Disabled, log.Add);
        await Assert.ThrowsAsync<OperationCanceledException>(() => handler.PrimeAsync(warmRequestPath: false));
        Assert.Empty(log);
    }

    [Fact]
    public async Task Request_headers_are_found_whatever_their_case()
    {
        // HTTP/2 clients and API Gateway events may send header names in lower case.
        string id = (await _api.CreateAsync("""{"v":1}""")).GetProperty("id").GetString()!;
        Assert.Equal(200, (await _api.SendAsync("PUT", $"/items/{id}", "{}", new Dictionary<string, string> { ["if-match"] = "\"1\"" })).StatusCode);
        ApiResponse response = await WithCors("https://app.example.com").SendAsync("GET", $"/items/{id}", headers: new Dictionary<string, string> { ["ORIGIN"] = "https://app.example.com" });
        Assert.Equal("https://app.example.com", response.Headers["access-control-allow-origin"]);
        Assert.Null(new ApiRequest { Method = "GET", Path = "/" }.Header("Origin"));
    }

    /// <summary>Records the ids read ("list" for a listing), and can fail like an unreachable table.</summary>
    private sealed class RecordingStore(IItemStore inner, List<string> reads, bool fail = false, bool cancel = false) : IItemStore
    {
        public Task<StoredItem> CreateAsync(string documentJson, CancellationToken cancellationToken = default) => inner.CreateAsync(documentJson, cancellationToken);
        public Task<StoredItem?> GetAsync(string id, CancellationToken cancellationToken = default)
        {
            reads.Add(id);
            if (cancel) throw new OperationCanceledException();
            // A bug of ours, not a dependency failure (those are 503: DependencyFailureTests).
            return fail ? throw new InvalidOperationException("store broken") : inner.GetAsync(id, cancellationToken);
        }
        public Task<ItemPage> ListAsync(int limit, string? startAfterId, CancellationToken cancellationToken = default)
        {
            reads.Add("list");
            return inner.ListAsync(limit, startAfterId, cancellationToken);
        }
        public Task<WriteResult> ReplaceAsync(string id, long? expectedVersion, string documentJson, CancellationToken cancellationToken = default) => inner.ReplaceAsync(id, expectedVersion, documentJson, cancellationToken);
        public Task<WriteResult> DeleteAsync(string id, long? expectedVersion, CancellationToken cancellationToken = default) => inner.DeleteAsync(id, expectedVersion, cancellationToken);
        public Task<KeyClaim> ClaimAsync(IdempotencyKey key, string documentJson, CancellationToken cancellationToken = default) => inner.ClaimAsync(key, documentJson, cancellationToken);
        public Task<StoredItem> CompleteAsync(KeyClaim claim, CancellationToken cancellationToken = default) => inner.CompleteAsync(claim, cancellationToken);
    }
}
