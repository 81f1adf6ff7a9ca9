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
    private readonly Dictionary<string, Task<IAsyncDisposable>> _shared = [];

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
        foreach (Task<IAsyncDisposable> shared in _shared.Values) await (await shared).DisposeAsync();
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

    /// <summary>
    /// Made once per <paramref name="purpose"/> and disposed with the fixture: for a theory of many cases that each
    /// prove they changed nothing, so a table per case would only cost time (the tests of one collection run one
    /// at a time, so no lock is needed).
    /// </summary>
    public async Task<T> SharedAsync<T>(string purpose, Func<DynamoDbFixture, Task<T>> create) where T : IAsyncDisposable
    {
        if (!_shared.TryGetValue(purpose, out Task<IAsyncDisposable>? made))
            _shared[purpose] = made = CreateAsync();
        return (T)await made;

        async Task<IAsyncDisposable> CreateAsync() => await create(this);
    }
}
