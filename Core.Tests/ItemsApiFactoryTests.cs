using Amazon.DynamoDBv2;
using ItemsApi.Core.Http;
using ItemsApi.Core.Runtime;

namespace ItemsApi.Core.Tests;

/// <summary>The function's handler as its environment variables configure it (the stack sets them; see FunctionContract).</summary>
[Collection(ProcessEnvironment.Name)] // AWS_REGION
public sealed class ItemsApiFactoryTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_a_table_name_the_function_says_which_variable_to_set(string? tableName)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => ItemsApiFactory.CreateHandler(_ => tableName));
        Assert.Equal("Set ITEMS_TABLE_NAME to the DynamoDB table name.", exception.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Without_allowed_headers_a_preflight_allows_the_base_set(string? headers)
    {
        var environment = new Dictionary<string, string?>
        {
            [FunctionContract.TableNameVariable] = "items",
            [FunctionContract.DynamoDbEndpointVariable] = "http://127.0.0.1:9",
            [FunctionContract.CorsAllowedOriginsVariable] = "*",
            [FunctionContract.CorsAllowedHeadersVariable] = headers,
        };
        ItemsApiHandler handler = ItemsApiFactory.CreateHandler(environment.GetValueOrDefault);
        ApiResponse preflight = await handler.HandleAsync(new ApiRequest { Method = "OPTIONS", Path = "/items", Headers = new Dictionary<string, string> { ["Origin"] = "https://x.example" } });
        Assert.Equal(CorsPolicy.BaseAllowedHeaders, preflight.Headers["Access-Control-Allow-Headers"]);
        Assert.Equal("*", preflight.Headers["Access-Control-Allow-Origin"]);
    }

    [Fact]
    public void Without_origins_the_function_adds_no_cors_headers()
    {
        Assert.Empty(ItemsApiFactory.SplitOrigins(null));
        Assert.Empty(ItemsApiFactory.SplitOrigins(" , "));
        Assert.Equal(["https://a.example.com", "https://b.example.com"], ItemsApiFactory.SplitOrigins("https://a.example.com,https://b.example.com"));
    }

    [Fact]
    public void A_local_endpoint_gets_a_client_signed_for_the_region_that_retries_little()
    {
        // DynamoDB Local keeps one database per access key and region: the local run and the tests must sign alike.
        AmazonDynamoDBConfig Config()
        {
            using IAmazonDynamoDB client = ItemsApiFactory.CreateDynamoDbClient("http://127.0.0.1:8000");
            return (AmazonDynamoDBConfig)client.Config;
        }
        using (EnvironmentVariables.Set(("AWS_REGION", "eu-west-1")))
            Assert.Equal("eu-west-1", Config().AuthenticationRegion);
        using (EnvironmentVariables.Set(("AWS_REGION", null)))
        {
            AmazonDynamoDBConfig config = Config();
            Assert.Equal("us-east-1", config.AuthenticationRegion);
            Assert.Equal("http://127.0.0.1:8000/", config.ServiceURL);
            Assert.Equal(2, config.MaxErrorRetry);
        }
    }

    [Fact]
    public void The_aws_client_retries_and_times_out_as_the_settings_say_not_as_the_sdk_defaults_for_dynamodb()
    {
        // The SDK's DynamoDB default is 10 retries and no attempt timeout of ours: past any Lambda timeout.
        using (EnvironmentVariables.Set(("AWS_REGION", "eu-west-1")))
        {
            using IAmazonDynamoDB client = ItemsApiFactory.CreateDynamoDbClient(null);
            var config = (AmazonDynamoDBConfig)client.Config;
            Assert.Equal(Amazon.Runtime.RequestRetryMode.Standard, config.RetryMode);
            Assert.Equal(2, config.MaxErrorRetry);
            Assert.Equal(TimeSpan.FromSeconds(2), config.Timeout);
            Assert.Equal(TimeSpan.FromSeconds(1), config.ConnectTimeout);
            Assert.Null(config.ServiceURL);
            Assert.Equal(TimeSpan.FromSeconds(6), DynamoDbClientSettings.AllAttempts);
        }
    }

    [Fact]
    public void The_idempotency_window_is_whole_hours_from_its_variable_or_the_default()
    {
        Assert.Equal(TimeSpan.FromHours(24), ItemsApiFactory.IdempotencyWindow(null));
        Assert.Equal(TimeSpan.FromHours(24), ItemsApiFactory.IdempotencyWindow(""));
        Assert.Equal(TimeSpan.FromHours(3), ItemsApiFactory.IdempotencyWindow("3"));
        foreach (string bad in new[] { "0", "-1", "1.5", " 2", "x" })
            Assert.Equal($"IDEMPOTENCY_WINDOW_HOURS must be a whole number of hours above 0, not '{bad}'.",
                Assert.Throws<InvalidOperationException>(() => ItemsApiFactory.IdempotencyWindow(bad)).Message);
    }

    [Fact]
    public void The_request_budget_keeps_the_margin_back_and_is_never_negative()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(9500), RequestDeadline.Budget(TimeSpan.FromSeconds(10)));
        Assert.Equal(TimeSpan.Zero, RequestDeadline.Budget(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(TimeSpan.Zero, RequestDeadline.Budget(TimeSpan.FromMilliseconds(-5)));
    }
}
