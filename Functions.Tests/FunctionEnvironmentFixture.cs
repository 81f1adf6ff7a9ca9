using ItemsApi.Core.Items;
using ItemsApi.Core.Runtime;
using ItemsApi.LocalDynamoDb;

namespace ItemsApi.Functions.Tests;

/// <summary>Starts dynalite and creates a table, for a function in this process (<see cref="Environment"/>) or in another (<see cref="Endpoint"/>).</summary>
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
    }

    /// <summary>
    /// Points the function's environment at the table until disposed: the function reads it as it is constructed. For a
    /// test class in the <see cref="ProcessEnvironment"/> collection.
    /// </summary>
    public IDisposable Environment() =>
        EnvironmentVariables.Set((FunctionContract.TableNameVariable, TableName), (FunctionContract.DynamoDbEndpointVariable, Endpoint));

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
