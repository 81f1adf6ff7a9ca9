using Amazon.DynamoDBv2;
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

    /// <summary>The server's address, as DYNAMODB_ENDPOINT would hold it.</summary>
    public string Endpoint => _server!.Endpoint;

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
