using System.Text.Json;
using System.Text.Json.Nodes;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.Core.Http;
using ItemsApi.Core.Items;
using ItemsApi.DeployTime.OpenApi;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Tests;

/// <summary>
/// Each route row is the contract: the handler answers exactly the statuses and shapes the row declares, and
/// the OpenAPI document says what the row says. (The stack and the local gateway are checked against the same
/// rows in Infra.Tests and LocalGateway.Tests.)
/// </summary>
public sealed class RouteContractTests
{
    public static TheoryData<string, string> Routes
    {
        get
        {
            var rows = new TheoryData<string, string>();
            foreach (Route route in RouteTable.All) rows.Add(route.Method, route.PathTemplate);
            return rows;
        }
    }

    private static Route Row(string method, string template) => RouteTable.Find(method, template)!;

    private readonly InMemoryItemStore _store = new(TimeProvider.System);
    private ApiClient Api => new(new ItemsApiHandler(_store, CorsPolicy.Disabled));

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_valid_request_gets_the_rows_success_status_and_body_shape(string method, string template)
    {
        Route route = Row(method, template);
        StoredItem item = await _store.CreateAsync("""{"a":1}""");
        // Only what the row says is required: every optional parameter is left out.
        Dictionary<string, string> RequiredHeaders(RouteParameter? leftOut = null) => route.Parameters
            .Where(p => p.In == ParameterLocation.Header && p.Required && p != leftOut).ToDictionary(p => p.Name, _ => item.ETag);
        string? body = route.RequiresJsonObjectBody ? """{"b":2}""" : null;

        foreach (RouteParameter required in route.Parameters.Where(p => p.Required && p.In == ParameterLocation.Header))
            Assert.True((await Send(route, item, RequiredHeaders(leftOut: required), body)).StatusCode >= 400, $"{route} without {required.Name}");
        // A query parameter the row calls required must be refused when missing; the valid request below sends none.
        Assert.All(route.Parameters.Where(p => p.In == ParameterLocation.Query), p => Assert.False(p.Required, $"{route}: {p.Name} is optional"));

        ApiResponse response = await Send(route, item, RequiredHeaders(), body);
        Assert.Equal(route.SuccessStatus, response.StatusCode);
        Assert.Equal(route.ResponseBody, ShapeOf(response));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task The_function_answers_exactly_the_error_statuses_the_row_declares(string method, string template)
    {
        Route route = Row(method, template);
        StoredItem item = await _store.CreateAsync("{}");
        // An Idempotency-Key already used with the body {}, and one whose first request is still running.
        var window = TimeSpan.FromHours(24);
        await _store.CreateOnceAsync(new IdempotencyKey(UsedKey, window), "{}");
        await _store.ClaimAsync(new IdempotencyKey(RunningKey, window), "{}");
        var produced = new HashSet<int>();
        string before = await StoreSnapshot.Of(_store);

        // Bad input of every kind the row's parameters and body allow.
        foreach ((Dictionary<string, string> headers, string? body, string? id, string query) in BadRequests(route, item))
        {
            ApiResponse response = await Send(route, item, headers, body, id, query);
            Assert.True(response.StatusCode >= 400, $"{route} accepted bad input ({response.StatusCode})");
            Assert.Contains(response.StatusCode, route.ErrorStatuses);
            produced.Add(response.StatusCode);
        }
        // A valid request while DynamoDB throttles every call.
        var throttled = new ApiClient(new ItemsApiHandler(new ThrottledStore(), CorsPolicy.Disabled));
        string path = route.PathTemplate.Replace("{" + RouteTable.ItemIdParameter + "}", item.Id);
        ApiResponse unavailable = await throttled.SendAsync(route.Method, path, route.RequiresJsonObjectBody ? "{}" : null, new Dictionary<string, string> { ["If-Match"] = item.ETag });
        Assert.Contains(unavailable.StatusCode, route.ErrorStatuses);
        produced.Add(unavailable.StatusCode);

        Assert.Equal(route.ErrorStatuses.Order(), produced.Order());
        Assert.Equal(before, await StoreSnapshot.Of(_store));
    }

    private const string UsedKey = "used-key";
    private const string RunningKey = "running-key";

    /// <summary>A store whose every call DynamoDB refuses for lack of capacity, as the SDK throws it.</summary>
    private sealed class ThrottledStore : IItemStore
    {
        private static Exception Throttled() => new Amazon.DynamoDBv2.Model.ProvisionedThroughputExceededException("throttled",
            null, Amazon.Runtime.ErrorType.Sender, "ProvisionedThroughputExceededException", "rid", System.Net.HttpStatusCode.BadRequest);
        public Task<StoredItem> CreateAsync(string documentJson, CancellationToken cancellationToken = default) => throw Throttled();
        public Task<StoredItem?> GetAsync(string id, CancellationToken cancellationToken = default) => throw Throttled();
        public Task<ItemPage> ListAsync(int limit, string? startAfterId, CancellationToken cancellationToken = default) => throw Throttled();
        public Task<WriteResult> ReplaceAsync(string id, long? expectedVersion, string documentJson, CancellationToken cancellationToken = default) => throw Throttled();
        public Task<WriteResult> DeleteAsync(string id, long? expectedVersion, CancellationToken cancellationToken = default) => throw Throttled();
        public Task<KeyClaim> ClaimAsync(IdempotencyKey key, string documentJson, CancellationToken cancellationToken = default) => throw Throttled();
        public Task<StoredItem> CompleteAsync(KeyClaim claim, CancellationToken cancellationToken = default) => throw Throttled();
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public void The_openapi_operation_says_what_the_row_says(string method, string template)
    {
        Route route = Row(method, template);
        GatewayPolicy policy = GatewayPolicy.For(StageSettings.Load(_ => null, "dev"));
        JsonNode operation = OpenApiDocument.Build(policy)["paths"]![template]![method.ToLowerInvariant()]!;

        var parameters = operation["parameters"]?.AsArray().Select(p => (p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(), p["required"]!.GetValue<bool>())) ?? [];
        Assert.Equal(route.Parameters.Select(p => (p.Name, p.In.ToString().ToLowerInvariant(), p.Required)), parameters);
        Assert.Equal(route.RequestBody != BodyShape.None, operation["requestBody"] is not null);

        IEnumerable<int> statuses = operation["responses"]!.AsObject().Select(r => int.Parse(r.Key));
        Assert.Equal(route.ErrorStatuses.Union(policy.GatewayStatuses(route)).Append(route.SuccessStatus).Order(), statuses.Order());
        string? schema = operation["responses"]![route.SuccessStatus.ToString()]!["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>();
        Assert.Equal(route.ResponseBody == BodyShape.None ? null : $"#/components/schemas/{route.ResponseBody}", schema);
    }

    [Fact]
    public void Every_path_in_the_openapi_document_is_a_row()
    {
        JsonObject paths = OpenApiDocument.Build(GatewayPolicy.For(StageSettings.Load(_ => null, "dev")))["paths"]!.AsObject();
        Assert.Equal(RouteTable.All.Select(r => $"{r.Method} {r.PathTemplate}").Order(),
            paths.SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}")).Order());
    }

    /// <summary>Requests that break one of the row's rules each: its body, its path id, its headers, its query.</summary>
    private static IEnumerable<(Dictionary<string, string> Headers, string? Body, string? Id, string Query)> BadRequests(Route route, StoredItem item)
    {
        string goodBody = "{}";
        Dictionary<string, string> Good() => new() { ["If-Match"] = item.ETag };
        if (route.RequiresJsonObjectBody)
        {
            yield return (Good(), "[1]", null, "");
            yield return (Good(), $$"""{"big":"{{new string('x', 400_000)}}"}""", null, "");
            yield return (new(Good()) { ["Content-Type"] = "text/plain" }, goodBody, null, "");
        }
        string? body = route.RequiresJsonObjectBody ? goodBody : null;
        if (route.PathParameters.Count > 0)
            yield return (Good(), body, ItemId.New(TimeProvider.System), "");
        foreach (RouteParameter header in route.Parameters.Where(p => p.In == ParameterLocation.Header && p.Name == RouteTable.IdempotencyKeyHeader))
        {
            yield return (new() { [header.Name] = "not a key" }, body, null, "");
            yield return (new() { [header.Name] = UsedKey }, """{"other":1}""", null, "");
            yield return (new() { [header.Name] = RunningKey }, "{}", null, "");
        }
        foreach (RouteParameter header in route.Parameters.Where(p => p.In == ParameterLocation.Header && p.Name != RouteTable.IdempotencyKeyHeader))
        {
            yield return (new() { [header.Name] = "\"99\"" }, body, null, "");
            yield return (new() { [header.Name] = "not-an-etag" }, body, null, "");
            if (header.Required) yield return (new(), body, null, "");
        }
        foreach (RouteParameter query in route.Parameters.Where(p => p.In == ParameterLocation.Query))
            yield return (Good(), body, null, $"?{query.Name}={(query.Type == "integer" ? (query.Maximum + 1).ToString() : "!!")}");
    }

    private Task<ApiResponse> Send(Route route, StoredItem item, Dictionary<string, string> headers, string? body, string? id = null, string query = "")
    {
        string path = route.PathTemplate.Replace("{" + RouteTable.ItemIdParameter + "}", id ?? item.Id) + query;
        return Api.SendAsync(route.Method, path, body, headers);
    }

    private static BodyShape ShapeOf(ApiResponse response)
    {
        if (string.IsNullOrEmpty(response.Body)) return BodyShape.None;
        using JsonDocument json = JsonDocument.Parse(response.Body);
        return json.RootElement.TryGetProperty("items", out _) ? BodyShape.ItemPage
            : json.RootElement.TryGetProperty("data", out _) ? BodyShape.Item
            : BodyShape.ItemDocument;
    }
}
