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
        return new ItemsApiHandler(new DynamoItemStore(client, tableName, TimeProvider.System), cors, log,
            IdempotencyWindow(environment(FunctionContract.IdempotencyWindowHoursVariable)));
    }

    /// <summary>The window from its variable (whole hours), or the default when unset; anything else stops the function at init.</summary>
    public static TimeSpan IdempotencyWindow(string? hours) =>
        string.IsNullOrEmpty(hours) ? TimeSpan.FromHours(FunctionContract.DefaultIdempotencyWindowHours)
        : int.TryParse(hours, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value) && value > 0
            ? TimeSpan.FromHours(value)
            : throw new InvalidOperationException($"{FunctionContract.IdempotencyWindowHoursVariable} must be a whole number of hours above 0, not '{hours}'.");

    /// <summary>
    /// A client for AWS (no endpoint: the SDK's usual region and credential chain) or for a local
    /// DynamoDB-compatible server, which accepts any credentials; both retry and time out as <see cref="DynamoDbClientSettings"/> says.
    /// </summary>
    public static IAmazonDynamoDB CreateDynamoDbClient(string? endpoint)
    {
        var config = new AmazonDynamoDBConfig();
        DynamoDbClientSettings.ApplyTo(config);
        if (string.IsNullOrEmpty(endpoint)) return new AmazonDynamoDBClient(config);

        config.ServiceURL = endpoint;
        config.AuthenticationRegion = Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1";
        return new AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"), config);
    }

    public static IReadOnlyList<string> SplitOrigins(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
