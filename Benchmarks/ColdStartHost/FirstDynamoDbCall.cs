using System.Diagnostics;
using System.Runtime;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Endpoints;
using ItemsApi.Core.Items;
using ItemsApi.Core.Runtime;

/// <summary>
/// The first DynamoDB call of a fresh process, step by step, as the function's client makes it on Lambda: the
/// HTTP stack alone (a plain request to the same endpoint), the client, the credentials (from the environment),
/// the endpoint, then one GetItem (marshalling, signing, a new connection, unmarshalling) and a second one to
/// show what of the first was one-time work. Each step also reports the JIT time it contained.
/// </summary>
internal static class FirstDynamoDbCall
{
    public static async Task<int> MeasureAsync()
    {
        string table = Environment.GetEnvironmentVariable(FunctionContract.TableNameVariable)!;
        var key = new Dictionary<string, AttributeValue> { [ItemsTableSchema.PartitionKey] = new() { S = "00000000000000000000000000" } };
        var phases = new Dictionary<string, double>();
        var lap = new Lap(phases);
        // .NET's HTTP stack on its own: first use and a connection, so the SDK's GetItem below is its own cost.
        using (var http = new HttpClient())
            (await http.PostAsync(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB"), new StringContent("{}"))).Dispose();
        lap.End("plainHttp");
        using var client = new AmazonDynamoDBClient();
        lap.End("client");
        DefaultAWSCredentialsIdentityResolver.GetCredentials(client.Config).GetCredentials();
        lap.End("credentials");
        client.Config.DetermineServiceOperationEndpoint(new ServiceOperationEndpointParameters(new GetItemRequest { TableName = table, Key = key }));
        lap.End("endpoint");
        await client.GetItemAsync(new GetItemRequest { TableName = table, Key = key });
        lap.End("firstGetItem");
        await client.GetItemAsync(new GetItemRequest { TableName = table, Key = key });
        lap.End("secondGetItem");
        Console.Out.WriteLine(JsonSerializer.Serialize(phases));
        return 0;
    }

    /// <summary>
    /// Times one step, and how much of it the JIT took: methods ReadyToRun code did not cover (generic
    /// instantiations across assemblies, say) are compiled on first call even in a ReadyToRun build.
    /// </summary>
    private sealed class Lap(Dictionary<string, double> phases)
    {
        private long _started = Stopwatch.GetTimestamp();
        private TimeSpan _jitBefore = JitInfo.GetCompilationTime();
        private long _methodsBefore = JitInfo.GetCompiledMethodCount();

        public void End(string step)
        {
            phases[step + "Ms"] = Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
            phases[step + "JitMs"] = (JitInfo.GetCompilationTime() - _jitBefore).TotalMilliseconds;
            phases[step + "JitMethods"] = JitInfo.GetCompiledMethodCount() - _methodsBefore;
            _jitBefore = JitInfo.GetCompilationTime();
            _methodsBefore = JitInfo.GetCompiledMethodCount();
            _started = Stopwatch.GetTimestamp();
        }
    }
}
