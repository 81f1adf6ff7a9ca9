using System.Text.Json;
using ItemsApi.Core.Http;
using ItemsApi.Core.Items;
using ItemsApi.Core.Runtime;

namespace ItemsApi.Core.Tests;

/// <summary>What the handler does that depends on DynamoDB itself, against a real DynamoDB-compatible server.</summary>
[Collection(DynamoDbCollection.Name), Trait("Category", DynamoDbCollection.Name)]
public sealed class DynamoItemsApiTests(DynamoDbFixture dynamoDb) : IAsyncLifetime
{
    private TestTable _table = null!;
    private ApiClient _api = null!;
    private readonly List<LogEntry> _log = [];

    public async Task InitializeAsync()
    {
        _table = await dynamoDb.CreateTableAsync();
        _api = new ApiClient(_table.Handler(log: _log.Add));
    }

    public async Task DisposeAsync() => await _table.DisposeAsync();

    [Fact]
    public async Task Listing_pages_through_every_item_exactly_once()
    {
        var created = new HashSet<string>();
        for (int i = 0; i < 23; i++)
            created.Add((await _api.CreateAsync($$"""{"n":{{i}}}""")).GetProperty("id").GetString()!);

        var seen = new List<string>();
        string? token = null;
        int pages = 0;
        do
        {
            string path = "/items?limit=5" + (token is null ? "" : "&nextToken=" + Uri.EscapeDataString(token));
            ApiResponse response = await _api.SendAsync("GET", path);
            Assert.Equal(200, response.StatusCode);
            JsonElement page = ApiClient.Json(response);
            JsonElement items = page.GetProperty("items");
            Assert.InRange(items.GetArrayLength(), 0, 5);
            seen.AddRange(items.EnumerateArray().Select(item => item.GetProperty("id").GetString()!));
            token = page.GetProperty("nextToken").GetString();
            pages++;
        } while (token is not null && pages < 20);

        Assert.Null(token);
        Assert.InRange(pages, 5, 6); // 23 items in pages of 5, plus possibly an empty last page
        Assert.Equal(created.Order(), seen.Order());
    }

    [Fact]
    public async Task Fifty_concurrent_puts_with_the_same_version_have_exactly_one_winner()
    {
        string id = (await _api.CreateAsync("""{"writer":-1}""")).GetProperty("id").GetString()!;

        ApiResponse[] responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(writer =>
            Task.Run(() => _api.SendAsync("PUT", $"/items/{id}", $$"""{"writer":{{writer}}}""", ApiClient.IfMatch("\"1\"")))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == 200));
        Assert.Equal(49, responses.Count(r => r.StatusCode == 412));
        JsonElement winner = ApiClient.Json(responses.Single(r => r.StatusCode == 200));

        JsonElement stored = ApiClient.Json(await _api.SendAsync("GET", $"/items/{id}"));
        Assert.Equal(2, stored.GetProperty("version").GetInt64());
        Assert.Equal(winner.GetProperty("data").GetRawText(), stored.GetProperty("data").GetRawText());
    }

    [Fact]
    public async Task Unexpected_failures_are_500_without_internal_details_and_are_logged()
    {
        await _table.DisposeAsync(); // the table is gone: DynamoDB answers ResourceNotFoundException
        ApiResponse response = await _api.SendAsync("GET", "/items");

        Assert.Equal(500, response.StatusCode);
        JsonElement error = ApiClient.Json(response);
        Assert.Equal("Internal server error", error.GetProperty("message").GetString());
        Assert.DoesNotContain(_table.Name, response.Body);
        LogEntry entry = Assert.Single(_log);
        Assert.Equal(LogEntry.RequestFailedTemplate, entry.Template);
        Assert.Equal("Amazon.DynamoDBv2.Model.ResourceNotFoundException", entry.Values[2]);
        Assert.Equal(error.GetProperty("requestId").GetString(), entry.Values[^1]); // apiGatewayRequestId
        _table = await dynamoDb.CreateTableAsync(); // for DisposeAsync
    }

    [Fact]
    public async Task The_function_built_from_its_environment_serves_the_table_at_the_endpoint_with_its_cors()
    {
        var environment = new Dictionary<string, string>
        {
            [FunctionContract.TableNameVariable] = _table.Name,
            [FunctionContract.DynamoDbEndpointVariable] = dynamoDb.Endpoint,
            [FunctionContract.CorsAllowedOriginsVariable] = " https://a.example.com, ,https://b.example.com ",
            [FunctionContract.CorsAllowedHeadersVariable] = "Content-Type,X-Api-Key",
        };
        var api = new ApiClient(ItemsApiFactory.CreateHandler(environment.GetValueOrDefault));
        var fromB = new Dictionary<string, string> { ["Origin"] = "https://b.example.com" };

        ApiResponse created = await api.SendAsync("POST", "/items", """{"from":"env"}""", fromB);
        Assert.Equal(201, created.StatusCode);
        Assert.Equal("https://b.example.com", created.Headers["Access-Control-Allow-Origin"]);
        StoredItem? stored = await _table.Store.GetAsync(ApiClient.Json(created).GetProperty("id").GetString()!);
        Assert.Equal("""{"from":"env"}""", stored!.DocumentJson);
        Assert.Equal("Content-Type,X-Api-Key", (await api.SendAsync("OPTIONS", "/items", headers: fromB)).Headers["Access-Control-Allow-Headers"]);
    }
}
