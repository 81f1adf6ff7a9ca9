using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ItemsApi.Core.Http;
using ItemsApi.Core.Items;
using ItemsApi.Core.Runtime;
using ItemsApi.LocalDynamoDb;

namespace ItemsApi.Core.Tests;

/// <summary>
/// One DynamoDB-compatible server for the whole test assembly: dynalite started on loopback by the
/// test run (or the server at DYNAMODB_ENDPOINT), stopped when the tests end.
/// </summary>
public sealed class DynamoDbFixture : IAsyncLifetime
{
    private LocalDynamoDbServer? _server;

    public IAmazonDynamoDB Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await LocalDynamoDbServer.StartAsync();
        Client = ItemsApiFactory.CreateDynamoDbClient(_server.Endpoint);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <summary>A fresh table with the shared key schema; deleted when the returned object is disposed.</summary>
    public async Task<TestTable> CreateTableAsync()
    {
        string name = "items-test-" + Guid.NewGuid().ToString("N")[..12];
        await ItemsTableSchema.EnsureExistsAsync(Client, name);
        return new TestTable(Client, name);
    }
}

/// <summary>
/// The tests that need the DynamoDB-compatible server (and so Node.js for dynalite) share it, and carry the
/// trait Category=DynamoDB: <c>dotnet test Core.Tests --filter Category!=DynamoDB</c> runs the rest without Node.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DynamoDbCollection : ICollectionFixture<DynamoDbFixture>
{
    public const string Name = "DynamoDB";
}

/// <summary>A table for one test class, with the handler wired to it.</summary>
public sealed class TestTable(IAmazonDynamoDB client, string name) : IAsyncDisposable
{
    public string Name => name;
    public DynamoItemStore Store { get; } = new(client, name, TimeProvider.System);

    public ItemsApiHandler Handler(CorsPolicy? cors = null, Action<string>? log = null) =>
        new(Store, cors ?? CorsPolicy.Disabled, log);

    /// <summary>Every stored item, every attribute, in a stable text form: for "nothing changed" checks.</summary>
    public async Task<string> SnapshotAsync()
    {
        var lines = new List<string>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            ScanResponse page = await client.ScanAsync(new ScanRequest { TableName = name, ExclusiveStartKey = start, ConsistentRead = true });
            foreach (Dictionary<string, AttributeValue> item in page.Items ?? [])
                lines.Add(string.Join("|", item.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value.S}{a.Value.N}")));
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (start is not null);
        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    }

    public async ValueTask DisposeAsync() => await client.DeleteTableAsync(name);
}
