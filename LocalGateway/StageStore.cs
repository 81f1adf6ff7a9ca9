using ItemsApi.Core.Items;
using ItemsApi.Core.Runtime;
using ItemsApi.LocalDynamoDb;

namespace ItemsApi.LocalGateway;

/// <summary>
/// The item store behind the local stage, and the lifetime of the DynamoDB server under it: the store the options
/// give (no server at all), or a table on dynalite that this starts and stops (or on the server at
/// <see cref="LocalGatewayOptions.DynamoDbEndpoint"/>, which is not watched), created if it is missing.
/// </summary>
internal sealed class StageStore : IAsyncDisposable
{
    /// <summary>The DynamoDB server behind the store; null when the options gave a store.</summary>
    private readonly LocalDynamoDbServer? _dynamoDb;

    private StageStore(IItemStore store, LocalDynamoDbServer? dynamoDb)
    {
        Store = store;
        _dynamoDb = dynamoDb;
    }

    public IItemStore Store { get; }

    /// <summary>The DynamoDB endpoint behind the store, or null when the options gave a store.</summary>
    public string? DynamoDbEndpoint => _dynamoDb?.Endpoint;

    /// <summary>Completes if the dynalite this started dies; never, for a given store or endpoint.</summary>
    public Task Died => _dynamoDb?.Died ?? Task.Delay(Timeout.Infinite);

    public static async Task<StageStore> OpenAsync(LocalGatewayOptions options, CancellationToken cancellationToken)
    {
        if (options.Store is not null) return new StageStore(options.Store, null);
        LocalDynamoDbServer dynamoDb = await LocalDynamoDbServer.StartAsync(options.DataDirectory, options.DynamoDbEndpoint,
            line => options.ErrorLog.WriteLine(line), cancellationToken);
        try
        {
            var client = ItemsApiFactory.CreateDynamoDbClient(dynamoDb.Endpoint);
            await ItemsTableSchema.EnsureExistsAsync(client, options.TableName, cancellationToken);
            return new StageStore(new DynamoItemStore(client, options.TableName, options.Clock), dynamoDb);
        }
        catch
        {
            await dynamoDb.DisposeAsync();
            throw;
        }
    }

    /// <summary>What to tell the user, once, when the dynalite this started died: every request would fail, and what data survives.</summary>
    public string DiedMessage()
    {
        string what = $"DynamoDB (dynalite, process {_dynamoDb!.ProcessId}) stopped unexpectedly, so the local stage stopped too: every request would have failed.";
        return _dynamoDb.DataDirectory is { } directory
            ? $"{what} Your data is in {directory}: every write that was answered is there (dynalite writes it to LevelDB's log before it answers; that survives a crashed process, not a crashed machine). Start again with the same --data-dir to go on."
            : $"{what} The items were in memory and are gone; start with --data-dir <dir> to keep them across restarts.";
    }

    public async ValueTask DisposeAsync()
    {
        if (_dynamoDb is not null) await _dynamoDb.DisposeAsync();
    }
}
