using System.Diagnostics;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Endpoints;
using ItemsApi.Core.Items;
using ItemsApi.Core.Runtime;

/// <summary>
/// The first DynamoDB call of a fresh process, step by step, as the function's client makes it on Lambda: the
/// client, the credentials (from the environment), the endpoint, then one GetItem (HTTP connection, signing,
/// request, response) and a second one to show what of the first was one-time work.
/// </summary>
internal static class FirstDynamoDbCall
{
    public static async Task<int> MeasureAsync()
    {
        string table = Environment.GetEnvironmentVariable(FunctionContract.TableNameVariable)!;
        var key = new Dictionary<string, AttributeValue> { [ItemsTableSchema.PartitionKey] = new() { S = "00000000000000000000000000" } };
        var phases = new Dictionary<string, double>();
        long t = Stopwatch.GetTimestamp();
        using var client = new AmazonDynamoDBClient();
        phases["clientMs"] = Lap(ref t);
        DefaultAWSCredentialsIdentityResolver.GetCredentials(client.Config).GetCredentials();
        phases["credentialsMs"] = Lap(ref t);
        client.Config.DetermineServiceOperationEndpoint(new ServiceOperationEndpointParameters(new GetItemRequest { TableName = table, Key = key }));
        phases["endpointMs"] = Lap(ref t);
        await client.GetItemAsync(new GetItemRequest { TableName = table, Key = key });
        phases["firstGetItemMs"] = Lap(ref t);
        await client.GetItemAsync(new GetItemRequest { TableName = table, Key = key });
        phases["secondGetItemMs"] = Lap(ref t);
        Console.Out.WriteLine(JsonSerializer.Serialize(phases));
        return 0;
    }

    private static double Lap(ref long timestamp)
    {
        double elapsed = Stopwatch.GetElapsedTime(timestamp).TotalMilliseconds;
        timestamp = Stopwatch.GetTimestamp();
        return elapsed;
    }
}
