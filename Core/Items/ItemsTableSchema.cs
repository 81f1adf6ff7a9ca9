using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace ItemsApi.Core.Items;

/// <summary>
/// The items table, defined once: the Pulumi stack, the tests and the local run all create it from here.
///
/// Item layout (one DynamoDB item per API item):
/// <list type="table">
///   <item><term>id</term><description>S, partition key. A ULID assigned on create (<see cref="ItemId"/>).</description></item>
///   <item><term>version</term><description>N. 1 on create, +1 on every replace; the ETag is its quoted value.</description></item>
///   <item><term>createdAt</term><description>S. UTC ISO-8601 with milliseconds, set once.</description></item>
///   <item><term>updatedAt</term><description>S. UTC ISO-8601 with milliseconds, set on create and on every replace.</description></item>
///   <item><term>document</term><description>S. The client's JSON object, compact, exactly as it is returned under "data".</description></item>
/// </list>
/// Idempotency keys (<see cref="IdempotencyKey"/>) are records in the same table, under ids that begin with
/// <see cref="IdempotencyKey.RecordIdPrefix"/>: <c>fingerprint</c> (the body's hash), <c>itemId</c>, <c>createdAt</c> and
/// <c>document</c> (the original answer), <c>completed</c> (BOOL), <c>leaseUntil</c> (N, Unix ms) and <c>expiresAt</c>
/// (N, Unix seconds: the table's TTL attribute, so DynamoDB deletes expired records). Listing skips them.
/// The document is kept as one JSON string rather than a DynamoDB map so that any valid JSON object
/// round-trips unchanged (DynamoDB maps cap nesting at 32 levels and numbers at 38 digits).
/// </summary>
public static class ItemsTableSchema
{
    public const string PartitionKey = "id";
    /// <summary>DynamoDB's type letter for the partition key (S = string).</summary>
    public const string PartitionKeyType = "S";

    public const string VersionAttribute = "version";
    public const string CreatedAtAttribute = "createdAt";
    public const string UpdatedAtAttribute = "updatedAt";
    public const string DocumentAttribute = "document";

    /// <summary>The table's time-to-live attribute (Unix seconds): the stack enables TTL on it; only key records carry it.</summary>
    public const string ExpiresAtAttribute = "expiresAt";
    public const string FingerprintAttribute = "fingerprint";
    public const string ItemIdAttribute = "itemId";
    public const string CompletedAttribute = "completed";
    public const string LeaseUntilAttribute = "leaseUntil";

    /// <summary>An on-demand table with the shared key schema, for local servers and tests.</summary>
    public static CreateTableRequest CreateTableRequest(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions = [new AttributeDefinition(PartitionKey, new ScalarAttributeType(PartitionKeyType))],
        KeySchema = [new KeySchemaElement(PartitionKey, KeyType.HASH)],
    };

    /// <summary>Creates the table unless it exists, then waits until it is ACTIVE.</summary>
    public static Task EnsureExistsAsync(IAmazonDynamoDB client, string tableName, CancellationToken cancellationToken = default) =>
        EnsureExistsAsync(client, tableName, attempts: 100, interval: TimeSpan.FromMilliseconds(100), cancellationToken);

    /// <summary>As above, asking whether the table is ACTIVE up to <paramref name="attempts"/> times, <paramref name="interval"/> apart.</summary>
    internal static async Task EnsureExistsAsync(IAmazonDynamoDB client, string tableName, int attempts, TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            await client.CreateTableAsync(CreateTableRequest(tableName), cancellationToken);
        }
        catch (ResourceInUseException)
        {
            // Already there (a persisted local data directory, or a second run).
        }

        for (int attempt = 0; attempt < attempts; attempt++)
        {
            DescribeTableResponse description = await client.DescribeTableAsync(tableName, cancellationToken);
            if (description.Table.TableStatus == TableStatus.ACTIVE) return;
            await Task.Delay(interval, cancellationToken);
        }
        throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
            $"Table '{tableName}' did not become ACTIVE within {(attempts * interval).TotalSeconds:0.##} s."));
    }
}
