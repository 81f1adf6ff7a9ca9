using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static ItemsApi.Core.Items.ItemsTableSchema;

namespace ItemsApi.Core.Items;

/// <summary>
/// Reads and writes items in DynamoDB. Every change is a single conditional write, so concurrent
/// writers can never lose an update: a replace succeeds only if the stored version is still the one
/// the client read.
/// </summary>
public sealed class DynamoItemStore(IAmazonDynamoDB client, string tableName, TimeProvider clock) : IItemStore
{
    /// <summary>
    /// The DynamoDB actions this class calls; the function's IAM policy grants exactly these on the table.
    /// Keep it in step with the calls below (a test checks each is used).
    /// </summary>
    public static IReadOnlyList<string> RequiredActions { get; } =
        ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Scan"];

    public string TableName => tableName;

    public async Task<StoredItem> CreateAsync(string documentJson, CancellationToken cancellationToken = default)
    {
        string now = Timestamp();
        var item = new StoredItem(ItemId.New(clock), 1, now, now, documentJson);
        await client.PutItemAsync(new PutItemRequest
        {
            TableName = tableName,
            Item = ToAttributes(item),
            // Ids are unique by construction; the condition makes an overwrite impossible anyway.
            ConditionExpression = "attribute_not_exists(#id)",
            ExpressionAttributeNames = new() { ["#id"] = PartitionKey },
        }, cancellationToken);
        return item;
    }

    public async Task<StoredItem?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        GetItemResponse response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = tableName,
            Key = KeyOf(id),
            ConsistentRead = true,
        }, cancellationToken);
        return response.Item is { Count: > 0 } attributes ? FromAttributes(attributes) : null;
    }

    /// <summary>Up to <paramref name="limit"/> items after <paramref name="startAfterId"/> (table order, not time order).</summary>
    public async Task<ItemPage> ListAsync(int limit, string? startAfterId, CancellationToken cancellationToken = default)
    {
        ScanResponse response = await client.ScanAsync(new ScanRequest
        {
            TableName = tableName,
            Limit = limit,
            ConsistentRead = true,
            ExclusiveStartKey = startAfterId is null ? null : KeyOf(startAfterId),
        }, cancellationToken);

        var items = (response.Items ?? []).Select(FromAttributes).ToList();
        string? lastId = response.LastEvaluatedKey is { Count: > 0 } last ? last[PartitionKey].S : null;
        return new ItemPage(items, lastId);
    }

    /// <summary>
    /// Replaces the document and bumps the version in one conditional update.
    /// <paramref name="expectedVersion"/> null means "any version" (<c>If-Match: *</c>).
    /// </summary>
    public async Task<WriteResult> ReplaceAsync(string id, long? expectedVersion, string documentJson, CancellationToken cancellationToken = default)
    {
        WriteCondition condition = WriteCondition.For(expectedVersion);
        condition.Names["#document"] = DocumentAttribute;
        condition.Names["#updatedAt"] = UpdatedAtAttribute;
        condition.Names["#version"] = VersionAttribute;
        condition.Values[":document"] = new AttributeValue { S = documentJson };
        condition.Values[":now"] = new AttributeValue { S = Timestamp() };
        condition.Values[":one"] = Number(1);
        try
        {
            UpdateItemResponse response = await client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = KeyOf(id),
                UpdateExpression = "SET #document = :document, #updatedAt = :now, #version = #version + :one",
                ConditionExpression = condition.Expression,
                ExpressionAttributeNames = condition.Names,
                ExpressionAttributeValues = condition.Values,
                ReturnValues = ReturnValue.ALL_NEW,
            }, cancellationToken);
            return new WriteResult(WriteStatus.Ok, FromAttributes(response.Attributes));
        }
        catch (ConditionalCheckFailedException)
        {
            return await WhyConditionFailedAsync(id, cancellationToken);
        }
    }

    /// <summary>Deletes the item; with <paramref name="expectedVersion"/> only if it is still that version.</summary>
    public async Task<WriteResult> DeleteAsync(string id, long? expectedVersion, CancellationToken cancellationToken = default)
    {
        WriteCondition condition = WriteCondition.For(expectedVersion);
        try
        {
            await client.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = tableName,
                Key = KeyOf(id),
                ConditionExpression = condition.Expression,
                ExpressionAttributeNames = condition.Names,
                // DynamoDB rejects an empty value map.
                ExpressionAttributeValues = condition.Values.Count > 0 ? condition.Values : null,
            }, cancellationToken);
            return new WriteResult(WriteStatus.Ok);
        }
        catch (ConditionalCheckFailedException)
        {
            return await WhyConditionFailedAsync(id, cancellationToken);
        }
    }

    /// <summary>"The item exists", and when a version is expected, "and is still that version".</summary>
    private sealed record WriteCondition(string Expression, Dictionary<string, string> Names, Dictionary<string, AttributeValue> Values)
    {
        public static WriteCondition For(long? expectedVersion) => expectedVersion is null
            ? new("attribute_exists(#id)", new() { ["#id"] = PartitionKey }, [])
            : new("attribute_exists(#id) AND #version = :expected",
                  new() { ["#id"] = PartitionKey, ["#version"] = VersionAttribute },
                  new() { [":expected"] = Number(expectedVersion.Value) });
    }

    // The write was refused: tell "gone" from "changed since you read it". This read only picks the
    // status code; the write itself was already decided atomically by DynamoDB.
    private async Task<WriteResult> WhyConditionFailedAsync(string id, CancellationToken cancellationToken) =>
        await GetAsync(id, cancellationToken) is null ? WriteResult.NotFound : WriteResult.VersionMismatch;

    private string Timestamp() => StoredItem.Timestamp(clock);

    private static Dictionary<string, AttributeValue> KeyOf(string id) => new() { [PartitionKey] = new AttributeValue { S = id } };

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static Dictionary<string, AttributeValue> ToAttributes(StoredItem item) => new()
    {
        [PartitionKey] = new AttributeValue { S = item.Id },
        [VersionAttribute] = Number(item.Version),
        [CreatedAtAttribute] = new AttributeValue { S = item.CreatedAt },
        [UpdatedAtAttribute] = new AttributeValue { S = item.UpdatedAt },
        [DocumentAttribute] = new AttributeValue { S = item.DocumentJson },
    };

    private static StoredItem FromAttributes(Dictionary<string, AttributeValue> attributes) => new(
        attributes[PartitionKey].S,
        long.Parse(attributes[VersionAttribute].N, CultureInfo.InvariantCulture),
        attributes[CreatedAtAttribute].S,
        attributes[UpdatedAtAttribute].S,
        attributes[DocumentAttribute].S);
}
