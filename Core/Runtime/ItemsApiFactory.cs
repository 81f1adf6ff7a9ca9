using Amazon.DynamoDBv2;
using Amazon.Runtime;
using ItemsApi.Core.Http;
using ItemsApi.Core.Items;

namespace ItemsApi.Core.Runtime;

/// <summary>Builds the handler from environment variables, so the same code runs on AWS and locally.</summary>
public static class ItemsApiFactory
{
    public static ItemsApiHandler CreateHandler(Func<string, string?> environment, Action<LogEntry>? log = null)
    {
        string tableName = environment(FunctionContract.TableNameVariable) is { Length: > 0 } name
            ? name
            : throw new InvalidOperationException($"Set {FunctionContract.TableNameVariable} to the DynamoDB table name.");

        IAmazonDynamoDB client = CreateDynamoDbClient(environment(FunctionContract.DynamoDbEndpointVariable));
        var cors = new CorsPolicy(SplitOrigins(environment(FunctionContract.CorsAllowedOriginsVariable)),
            environment(FunctionContract.CorsAllowedHeadersVariable) is { Length: > 0 } headers ? headers : CorsPolicy.BaseAllowedHeaders);
        return new ItemsApiHandler(new DynamoItemStore(client, tableName, TimeProvider.System), cors, log);
    }

    /// <summary>
    /// A client for AWS (no endpoint: the SDK's usual region and credential chain) or for a local
    /// DynamoDB-compatible server, which accepts any credentials.
    /// </summary>
    public static IAmazonDynamoDB CreateDynamoDbClient(string? endpoint)
    {
        if (string.IsNullOrEmpty(endpoint)) return new AmazonDynamoDBClient();

        var config = new AmazonDynamoDBConfig
        {
            ServiceURL = endpoint,
            AuthenticationRegion = Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1",
            MaxErrorRetry = 2,
        };
        return new AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"), config);
    }

    public static IReadOnlyList<string> SplitOrigins(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
