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
}
