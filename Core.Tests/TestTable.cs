using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ItemsApi.Core.Http;
using ItemsApi.Core.Items;

namespace ItemsApi.Core.Tests;

/// <summary>A table for one test class, with the handler wired to it.</summary>
public sealed class TestTable(IAmazonDynamoDB client, string name) : IAsyncDisposable
{
    public string Name => name;
    public DynamoItemStore Store { get; } = new(client, name, TimeProvider.System);

    public ItemsApiHandler Handler(CorsPolicy? cors = null, Action<LogEntry>? log = null) =>
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
