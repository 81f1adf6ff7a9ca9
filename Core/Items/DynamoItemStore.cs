using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
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
        try
        {
            await PutNewItemAsync(item, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // The SDK retried a put whose answer was lost (a dropped connection, an attempt's timeout) after DynamoDB had
            // stored it, so the condition failed on this very item: it is created, once. Anything else stored under this id is not ours.
            if (await GetAsync(item.Id, cancellationToken) != item) throw;
        }
        return item;
    }

    public async Task<StoredItem?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (IdempotencyKey.IsRecordId(id)) return null; // a key record, not an item
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
            // Idempotency key records share the table; DynamoDB applies the filter after the limit, so a page may hold
            // fewer items than the limit (even none) and still have a next page: clients follow nextToken, as always.
            FilterExpression = "NOT begins_with(#id, :keyRecord)",
            ExpressionAttributeNames = new() { ["#id"] = PartitionKey },
            ExpressionAttributeValues = new() { [":keyRecord"] = new AttributeValue { S = IdempotencyKey.RecordIdPrefix } },
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
        string now = Timestamp();
        condition.Names["#document"] = DocumentAttribute;
        condition.Names["#updatedAt"] = UpdatedAtAttribute;
        condition.Names["#version"] = VersionAttribute;
        condition.Values[":document"] = new AttributeValue { S = documentJson };
        condition.Values[":now"] = new AttributeValue { S = now };
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
            StoredItem? stored = await GetAsync(id, cancellationToken);
            // The SDK retried an update whose answer was lost after DynamoDB had applied it, so the version no longer
            // matched: the stored item is this write (its document, its timestamp, the version after the expected one).
            // With If-Match: * there is no version to fail, and such a retry applies the document again (version + 2).
            if (stored is not null && stored.Version == expectedVersion + 1 && stored.UpdatedAt == now && stored.DocumentJson == documentJson)
                return new WriteResult(WriteStatus.Ok, stored);
            return stored is null ? WriteResult.NotFound : WriteResult.VersionMismatch;
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

    /// <summary>
    /// A conditional put of the key's record: it succeeds when the key is new or its window has passed (DynamoDB's TTL
    /// deletes expired records only eventually, so the condition checks the expiry itself). When the key is held, the
    /// record says which answer: the original item, a different body, a request still running, or a lapsed lease to take over.
    /// </summary>
    public async Task<KeyClaim> ClaimAsync(IdempotencyKey key, string documentJson, CancellationToken cancellationToken = default)
    {
        DateTimeOffset now = clock.GetUtcNow();
        string timestamp = Timestamp();
        var item = new StoredItem(ItemId.New(clock), 1, timestamp, timestamp, documentJson);
        try
        {
            await client.PutItemAsync(new PutItemRequest
            {
                TableName = tableName,
                Item = new()
                {
                    [PartitionKey] = new AttributeValue { S = key.RecordId },
                    [FingerprintAttribute] = new AttributeValue { S = IdempotencyKey.Fingerprint(documentJson) },
                    [ItemIdAttribute] = new AttributeValue { S = item.Id },
                    [CreatedAtAttribute] = new AttributeValue { S = item.CreatedAt },
                    [DocumentAttribute] = new AttributeValue { S = documentJson },
                    [CompletedAttribute] = new AttributeValue { BOOL = false },
                    [LeaseUntilAttribute] = Number((now + IdempotencyKey.InFlightLease).ToUnixTimeMilliseconds()),
                    [ExpiresAtAttribute] = Number((now + key.Window).ToUnixTimeSeconds()),
                },
                ConditionExpression = "attribute_not_exists(#id) OR #expiresAt <= :now",
                ExpressionAttributeNames = new() { ["#id"] = PartitionKey, ["#expiresAt"] = ExpiresAtAttribute },
                ExpressionAttributeValues = new() { [":now"] = Number(now.ToUnixTimeSeconds()) },
            }, cancellationToken);
            return new KeyClaim(KeyClaimStatus.Claimed, key, item);
        }
        catch (ConditionalCheckFailedException)
        {
            return await WhyKeyIsHeldAsync(key, item, now, cancellationToken);
        }
        catch (Exception exception) when (cancellationToken.IsCancellationRequested
            || Http.DependencyFailure.Classify(exception) == Http.DependencyFailureKind.Unavailable)
        {
            // A 5xx, no answer or the request's deadline: the claim may have landed. End its lease, so that the client's
            // retry with this key (what the 503 asks for) takes the claim over at once instead of meeting 409s until the
            // lease ends (after the deadline, trying for at most IdempotencyKey.ReleaseAfterDeadline).
            await ReleaseLeaseAsync(new KeyClaim(KeyClaimStatus.Claimed, key, item), cancellationToken);
            throw;
        }
    }

    /// <param name="ownItem">The item this request's claim carries: a record that names it is this request's own claim.</param>
    private async Task<KeyClaim> WhyKeyIsHeldAsync(IdempotencyKey key, StoredItem ownItem, DateTimeOffset now, CancellationToken cancellationToken)
    {
        string documentJson = ownItem.DocumentJson;
        GetItemResponse response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = tableName,
            Key = KeyOf(key.RecordId),
            ConsistentRead = true,
        }, cancellationToken);
        // Gone since the put was refused (expired and removed): another request is starting over with this key.
        if (response.Item is not { Count: > 0 } record) return new KeyClaim(KeyClaimStatus.InFlight, key, RetryAfter: TimeSpan.FromSeconds(1));
        // The SDK retried a claim whose answer was lost after DynamoDB had stored it: the claim is this request's, not another's.
        if (record[ItemIdAttribute].S == ownItem.Id) return new KeyClaim(KeyClaimStatus.Claimed, key, ownItem);

        if (record[FingerprintAttribute].S != IdempotencyKey.Fingerprint(documentJson)) return new KeyClaim(KeyClaimStatus.DifferentRequest, key);
        var item = new StoredItem(record[ItemIdAttribute].S, 1, record[CreatedAtAttribute].S, record[CreatedAtAttribute].S, record[DocumentAttribute].S);
        if (record[CompletedAttribute].BOOL == true) return new KeyClaim(KeyClaimStatus.Completed, key, item);

        var leaseUntil = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(record[LeaseUntilAttribute].N, CultureInfo.InvariantCulture));
        if (leaseUntil > now) return new KeyClaim(KeyClaimStatus.InFlight, key, RetryAfter: leaseUntil - now);
        try
        {
            // The first request's lease ended before it completed: take the claim over (only one request can), with its item.
            await client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = KeyOf(key.RecordId),
                UpdateExpression = "SET #leaseUntil = :lease",
                ConditionExpression = "#leaseUntil = :previous AND #completed = :false",
                ExpressionAttributeNames = new() { ["#leaseUntil"] = LeaseUntilAttribute, ["#completed"] = CompletedAttribute },
                ExpressionAttributeValues = new()
                {
                    [":lease"] = Number((now + IdempotencyKey.InFlightLease).ToUnixTimeMilliseconds()),
                    [":previous"] = record[LeaseUntilAttribute],
                    [":false"] = new AttributeValue { BOOL = false },
                },
            }, cancellationToken);
            return new KeyClaim(KeyClaimStatus.Claimed, key, item);
        }
        catch (ConditionalCheckFailedException)
        {
            return new KeyClaim(KeyClaimStatus.InFlight, key, RetryAfter: IdempotencyKey.InFlightLease);
        }
    }

    /// <summary>
    /// Stores the claimed item (once: its id is the claim's), then marks the key completed. When DynamoDB refuses or fails
    /// either write, the claim's lease is ended first, so the client's retry takes over at once instead of waiting out
    /// the lease with 409s; that is safe whatever happened to the write, as the retry stores the same id.
    /// </summary>
    public async Task<StoredItem> CompleteAsync(KeyClaim claim, CancellationToken cancellationToken = default)
    {
        StoredItem item = claim.Item!;
        try
        {
            try
            {
                await PutNewItemAsync(item, cancellationToken);
            }
            catch (ConditionalCheckFailedException)
            {
                // Stored already, by the request whose claim this took over: the same id, so the same item.
            }
            try
            {
                await client.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = tableName,
                    Key = KeyOf(claim.Key.RecordId),
                    UpdateExpression = "SET #completed = :true",
                    ConditionExpression = "#itemId = :itemId",
                    ExpressionAttributeNames = new() { ["#completed"] = CompletedAttribute, ["#itemId"] = ItemIdAttribute },
                    ExpressionAttributeValues = new() { [":true"] = new AttributeValue { BOOL = true }, [":itemId"] = new AttributeValue { S = item.Id } },
                }, cancellationToken);
            }
            catch (ConditionalCheckFailedException)
            {
                // The key's window passed and a new create holds it now; this create is done all the same.
            }
        }
        catch (Exception)
        {
            // Either write failed (the item may be stored, the key is not marked): end the lease, so the retry takes over
            // at once, stores or finds the item under the claim's id and marks the key, instead of meeting 409s.
            await ReleaseLeaseAsync(claim, cancellationToken);
            throw;
        }
        return item;
    }

    /// <summary>
    /// Ends the claim's lease (best effort: the write failed already, and the lease ends by itself in time). After the
    /// request's deadline it still tries, for at most <see cref="IdempotencyKey.ReleaseAfterDeadline"/>.
    /// </summary>
    private async Task ReleaseLeaseAsync(KeyClaim claim, CancellationToken cancellationToken)
    {
        using var afterDeadline = new CancellationTokenSource(IdempotencyKey.ReleaseAfterDeadline);
        if (cancellationToken.IsCancellationRequested) cancellationToken = afterDeadline.Token;
        try
        {
            await client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = KeyOf(claim.Key.RecordId),
                UpdateExpression = "SET #leaseUntil = :ended",
                ConditionExpression = "#itemId = :itemId AND #completed = :false",
                ExpressionAttributeNames = new() { ["#leaseUntil"] = LeaseUntilAttribute, ["#itemId"] = ItemIdAttribute, ["#completed"] = CompletedAttribute },
                ExpressionAttributeValues = new()
                {
                    [":ended"] = Number(0),
                    [":itemId"] = new AttributeValue { S = claim.Item!.Id },
                    [":false"] = new AttributeValue { BOOL = false },
                },
            }, cancellationToken);
        }
        catch (Exception exception) when (exception is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or TimeoutException or OperationCanceledException)
        {
            // The lease stays: a retry within it is answered 409 with the time left, and takes over after it.
        }
    }

    /// <summary>
    /// Stores a new item, only if nothing has its id. Ids are unique by construction; the condition makes an overwrite
    /// impossible anyway, and tells a put the SDK sent twice from a first one.
    /// </summary>
    private Task PutNewItemAsync(StoredItem item, CancellationToken cancellationToken) => client.PutItemAsync(new PutItemRequest
    {
        TableName = tableName,
        Item = ToAttributes(item),
        ConditionExpression = "attribute_not_exists(#id)",
        ExpressionAttributeNames = new() { ["#id"] = PartitionKey },
    }, cancellationToken);

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
