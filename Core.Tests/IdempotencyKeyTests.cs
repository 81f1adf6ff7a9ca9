using Microsoft.Extensions.Time.Testing;
using ItemsApi.Core.Http;
using ItemsApi.Core.Items;
using ItemsApi.Core.Routes;

namespace ItemsApi.Core.Tests;

/// <summary>
/// POST /items with an Idempotency-Key, as the IETF httpapi draft answers it: a repeat gets the original 201 and
/// stores nothing new, the key with another body is a 422, a repeat while the first still runs is a 409.
/// </summary>
public sealed class IdempotencyKeyTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, 123, TimeSpan.Zero));
    private readonly InMemoryItemStore _store;
    private readonly ApiClient _api;

    public IdempotencyKeyTests()
    {
        _store = new InMemoryItemStore(_clock);
        _api = new ApiClient(new ItemsApiHandler(_store, CorsPolicy.Disabled, idempotencyWindow: TimeSpan.FromHours(2)));
    }

    private Task<ApiResponse> Create(string body, string key) =>
        _api.SendAsync("POST", "/items", body, new Dictionary<string, string> { [RouteTable.IdempotencyKeyHeader] = key });

    [Fact]
    public async Task A_repeated_create_answers_the_original_201_with_the_same_id_etag_location_and_body_and_stores_nothing_new()
    {
        ApiResponse first = await Create("""{"a":1}""", "8e03978e-40d5-43e8-bc93-6894a57f9324");
        _clock.Advance(TimeSpan.FromMinutes(5));
        // The same JSON with other spacing, and the key as the draft writes it (a quoted string), is the same request.
        ApiResponse again = await Create("""{ "a": 1 }""", "\"8e03978e-40d5-43e8-bc93-6894a57f9324\"");

        Assert.Equal(201, first.StatusCode);
        Assert.Equal((201, first.Body), (again.StatusCode, again.Body));
        Assert.Equal(first.Headers["ETag"], again.Headers["ETag"]);
        Assert.Equal(first.Headers["Location"], again.Headers["Location"]);
        Assert.Single((await _store.ListAsync(10, null)).Items);
    }

    [Fact]
    public async Task The_original_answer_is_replayed_even_after_the_item_changed()
    {
        ApiResponse first = await Create("""{"a":1}""", "k1");
        string id = ApiClient.Json(first).GetProperty("id").GetString()!;
        await _store.ReplaceAsync(id, null, """{"a":2}""");
        Assert.Equal(first.Body, (await Create("""{"a":1}""", "k1")).Body);
    }

    [Fact]
    public async Task The_key_with_a_different_body_is_a_422_and_stores_nothing()
    {
        await Create("""{"a":1}""", "k1");
        ApiResponse response = await Create("""{"a":2}""", "k1");
        Assert.Equal(422, response.StatusCode);
        Assert.Equal("""{"message":"This Idempotency-Key was used with a different body in the last 2 h; send a new key for a new item.","requestId":"req-2"}""", response.Body);
        Assert.Single((await _store.ListAsync(10, null)).Items);
    }

    [Fact]
    public async Task A_repeat_while_the_first_request_runs_is_a_409_with_the_time_left_on_its_lease()
    {
        // The first request claimed the key and has not stored its item yet.
        await _store.ClaimAsync(new IdempotencyKey("k1", TimeSpan.FromHours(2)), """{"a":1}""");
        _clock.Advance(TimeSpan.FromSeconds(10.5));

        ApiResponse response = await Create("""{"a":1}""", "k1");
        Assert.Equal(409, response.StatusCode);
        Assert.Equal("20", response.Headers["Retry-After"]);
        Assert.Equal("""{"message":"A request with this Idempotency-Key is still being processed; retry it unchanged after Retry-After seconds.","requestId":"req-1"}""", response.Body);
        Assert.Empty((await _store.ListAsync(10, null)).Items);
    }

    [Fact]
    public async Task After_the_window_the_key_creates_a_new_item()
    {
        string first = ApiClient.Json(await Create("{}", "k1")).GetProperty("id").GetString()!;
        _clock.Advance(TimeSpan.FromHours(2));
        ApiResponse later = await Create("{}", "k1");
        Assert.Equal(201, later.StatusCode);
        Assert.NotEqual(first, ApiClient.Json(later).GetProperty("id").GetString());
        Assert.Equal(2, (await _store.ListAsync(10, null)).Items.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"\"")]
    [InlineData("has space")]
    [InlineData("\"unterminated")]
    [InlineData("semi;colon")]
    [InlineData("ünïcode")]
    public async Task A_key_that_is_not_one_is_a_400_that_says_what_a_key_is_and_stores_nothing(string key)
    {
        ApiResponse response = await Create("{}", key);
        Assert.Equal(400, response.StatusCode);
        Assert.Contains(IdempotencyKey.Expected, response.Body);
        Assert.Empty((await _store.ListAsync(10, null)).Items);
    }

    [Fact]
    public async Task Keys_are_taken_up_to_255_characters()
    {
        Assert.Equal(201, (await Create("{}", new string('a', 255))).StatusCode);
        Assert.Equal(400, (await Create("{}", new string('a', 256))).StatusCode);
        Assert.Equal(201, (await Create("{}", "\"" + new string('b', 255) + "\"")).StatusCode);
        Assert.Equal(201, (await Create("{}", "AZaz09-_.:~+/=")).StatusCode);
    }

    [Fact]
    public void The_route_table_pattern_accepts_exactly_the_keys_the_handler_accepts()
    {
        var pattern = new System.Text.RegularExpressions.Regex(IdempotencyKey.Pattern);
        string[] samples = ["k", "\"k\"", "", "\"\"", "a b", "\"k", "k\"", new string('a', 255), new string('a', 256), "x;y", "8e03978e-40d5-43e8-bc93-6894a57f9324"];
        foreach (string sample in samples)
            Assert.True(pattern.IsMatch(sample) == (IdempotencyKey.Parse(sample) is not null), sample);
        Assert.Equal(IdempotencyKey.Pattern,
            RouteTable.Find("POST", RouteTable.ItemsPath)!.Parameters.Single(p => p.Name == RouteTable.IdempotencyKeyHeader).Pattern);
    }

    [Fact]
    public void Every_header_a_route_takes_is_one_a_browser_may_send()
    {
        string[] allowed = CorsPolicy.BaseAllowedHeaders.Split(',');
        foreach (RouteParameter header in RouteTable.All.SelectMany(r => r.Parameters).Where(p => p.In == ParameterLocation.Header))
            Assert.Contains(header.Name, allowed);
        Assert.Contains("Retry-After", CorsPolicy.ExposedHeaders.Split(','));
    }

    [Fact]
    public void Every_route_declares_the_503_of_a_failing_dependency_and_the_create_the_drafts_409_and_422()
    {
        Assert.All(RouteTable.All, r => Assert.Contains(503, r.ErrorStatuses));
        Assert.Superset(new HashSet<int> { 409, 422 }, RouteTable.Find("POST", RouteTable.ItemsPath)!.ErrorStatuses.ToHashSet());
    }

    [Fact]
    public void A_page_may_end_on_a_key_record_and_its_token_leads_on_while_other_ids_stay_refused()
    {
        // DynamoDB's scan can stop on a key record (they share the table); the next page starts after it.
        string recordId = new IdempotencyKey("k1", TimeSpan.FromHours(1)).RecordId;
        Assert.Equal(recordId, PageToken.Decode(PageToken.Encode(recordId)));
        Assert.Null(PageToken.Decode(PageToken.Encode(recordId.ToUpperInvariant())));
        Assert.Null(PageToken.Decode(PageToken.Encode(IdempotencyKey.RecordIdPrefix + new string('g', 64))));
    }
}
