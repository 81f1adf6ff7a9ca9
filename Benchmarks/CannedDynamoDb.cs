using System.Reflection;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ItemsApi.Core.Items;

namespace ItemsApi.Benchmarks;

/// <summary>
/// A DynamoDB client that answers from memory with fixed responses, so a run measures only the
/// handler: routing, validation, JSON parsing and writing. Benchmark use only.
/// </summary>
public class CannedDynamoDb : DispatchProxy
{
    private static readonly Dictionary<string, AttributeValue> Item = new()
    {
        [ItemsTableSchema.PartitionKey] = new AttributeValue { S = "01JDQ3Z8Y4K2M5N7P9R1S3T5V7" },
        [ItemsTableSchema.VersionAttribute] = new AttributeValue { N = "1" },
        [ItemsTableSchema.CreatedAtAttribute] = new AttributeValue { S = "2026-11-21T10:00:00.000Z" },
        [ItemsTableSchema.UpdatedAtAttribute] = new AttributeValue { S = "2026-11-21T10:00:00.000Z" },
        [ItemsTableSchema.DocumentAttribute] = new AttributeValue { S = """{"name":"lamp","price":12.5,"tags":["a","b"]}""" },
    };

    public static IAmazonDynamoDB Create() => Create<IAmazonDynamoDB, CannedDynamoDb>();

    protected override object? Invoke(MethodInfo? method, object?[]? args) => method?.Name switch
    {
        "PutItemAsync" => Task.FromResult(new PutItemResponse()),
        "GetItemAsync" => Task.FromResult(new GetItemResponse { Item = Item }),
        "UpdateItemAsync" => Task.FromResult(new UpdateItemResponse { Attributes = Item }),
        "DeleteItemAsync" => Task.FromResult(new DeleteItemResponse()),
        "ScanAsync" => Task.FromResult(new ScanResponse { Items = Enumerable.Repeat(Item, 25).ToList() }),
        "Dispose" => null,
        _ => throw new NotSupportedException(method?.Name),
    };
}
