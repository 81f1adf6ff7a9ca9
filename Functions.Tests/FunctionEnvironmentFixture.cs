using ItemsApi.Core.Items;
using ItemsApi.Core.Runtime;
using ItemsApi.LocalDynamoDb;

namespace ItemsApi.Functions.Tests;

/// <summary>Starts dynalite, creates a table and points the function's environment at it.</summary>
public sealed class FunctionEnvironmentFixture : IAsyncLifetime
{
    private LocalDynamoDbServer? _server;
    public string TableName { get; } = "items-fn-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The DynamoDB-compatible server's address, for a function in another process.</summary>
    public string Endpoint => _server?.Endpoint ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _server = await LocalDynamoDbServer.StartAsync();
        using var client = ItemsApiFactory.CreateDynamoDbClient(_server.Endpoint);
        await ItemsTableSchema.EnsureExistsAsync(client, TableName);
        Environment.SetEnvironmentVariable(FunctionContract.TableNameVariable, TableName);
        Environment.SetEnvironmentVariable(FunctionContract.DynamoDbEndpointVariable, _server.Endpoint);
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable(FunctionContract.TableNameVariable, null);
        Environment.SetEnvironmentVariable(FunctionContract.DynamoDbEndpointVariable, null);
        if (_server is not null) await _server.DisposeAsync();
    }
}
