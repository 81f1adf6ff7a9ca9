using System.Reflection;
using System.Text;
using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using Amazon.Lambda.TestUtilities;
using ItemsApi.Core.Http;
using ItemsApi.Core.Runtime;

namespace ItemsApi.Functions.Tests;

/// <summary>The function as the Lambda runtime calls it, with its environment pointing at dynalite.</summary>
[Collection(ProcessEnvironment.Name)] // the function reads its table from the environment
public sealed class ItemsFunctionTests : IClassFixture<FunctionEnvironmentFixture>
{
    private readonly ItemsFunction _function;

    public ItemsFunctionTests(FunctionEnvironmentFixture dynamoDb)
    {
        using (dynamoDb.Environment()) _function = new ItemsFunction();
    }

    private async Task<(APIGatewayProxyResponse Response, TestLambdaContext Context)> InvokeAsync(
        string method, string resource, string path, string? body = null, string? id = null,
        string? query = null, string ifMatch = "", bool base64 = false)
    {
        string requestId = Guid.NewGuid().ToString();
        var request = LambdaEvents.Deserialize<APIGatewayProxyRequest>(
            ApiGatewayEvents.ProxyRequest(method, resource, path, requestId, body, id, query, ifMatch, base64));
        var context = new TestLambdaContext { AwsRequestId = "lambda-" + requestId, Logger = new RecordingLambdaLogger(), RemainingTime = TimeSpan.FromSeconds(10) };
        return (await _function.HandleAsync(request, context), context);
    }

    [Fact]
    public void Handler_strings_the_stack_uses_resolve_to_these_methods()
    {
        AssertHandler(FunctionContract.ItemsHandler, typeof(APIGatewayProxyRequest));
        AssertHandler(FunctionContract.AuthorizerHandler, typeof(APIGatewayCustomAuthorizerRequest));

        static void AssertHandler(string handler, Type requestType)
        {
            string[] parts = handler.Split("::");
            Assert.Equal(3, parts.Length);
            Assembly assembly = typeof(ItemsFunction).Assembly;
            Assert.Equal(parts[0], assembly.GetName().Name);
            Type type = assembly.GetType(parts[1], throwOnError: true)!;
            Assert.NotNull(type.GetConstructor(Type.EmptyTypes));
            MethodInfo method = type.GetMethod(parts[2])!;
            Assert.Equal([requestType, typeof(ILambdaContext)], method.GetParameters().Select(p => p.ParameterType));
        }
    }

    [Fact]
    public void The_assembly_declares_the_source_generated_lambda_serializer()
    {
        var attribute = typeof(ItemsFunction).Assembly.GetCustomAttribute<LambdaSerializerAttribute>();
        Assert.Equal(typeof(Amazon.Lambda.Serialization.SystemTextJson.SourceGeneratorLambdaJsonSerializer<LambdaJsonContext>), attribute?.SerializerType);
    }

    [Fact]
    public async Task A_proxy_event_round_trip_creates_reads_replaces_lists_and_deletes()
    {
        (APIGatewayProxyResponse created, _) = await InvokeAsync("POST", "/items", "/items", """{"name":"lamp"}""");
        Assert.Equal(201, created.StatusCode);
        string id = JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetString()!;
        Assert.Equal($"/dev/items/{id}", created.Headers["Location"]);
        Assert.Equal("\"1\"", created.Headers["ETag"]);

        (APIGatewayProxyResponse read, _) = await InvokeAsync("GET", "/items/{id}", $"/items/{id}", id: id);
        Assert.Equal(200, read.StatusCode);
        Assert.Equal("lamp", JsonDocument.Parse(read.Body).RootElement.GetProperty("data").GetProperty("name").GetString());

        (APIGatewayProxyResponse stale, _) = await InvokeAsync("PUT", "/items/{id}", $"/items/{id}", """{"name":"desk"}""", id, ifMatch: "\\\"9\\\"");
        Assert.Equal(412, stale.StatusCode);
        (APIGatewayProxyResponse replaced, _) = await InvokeAsync("PUT", "/items/{id}", $"/items/{id}", """{"name":"desk"}""", id, ifMatch: "\\\"1\\\"");
        Assert.Equal(200, replaced.StatusCode);
        Assert.Equal("\"2\"", replaced.Headers["ETag"]);

        (APIGatewayProxyResponse list, _) = await InvokeAsync("GET", "/items", "/items", query: """{"limit":"10"}""");
        Assert.Equal(200, list.StatusCode);
        Assert.Contains(JsonDocument.Parse(list.Body).RootElement.GetProperty("items").EnumerateArray(), item => item.GetProperty("id").GetString() == id);

        (APIGatewayProxyResponse deleted, _) = await InvokeAsync("DELETE", "/items/{id}", $"/items/{id}", id: id);
        Assert.Equal(204, deleted.StatusCode);
        Assert.Equal(404, (await InvokeAsync("GET", "/items/{id}", $"/items/{id}", id: id)).Response.StatusCode);
    }

    [Fact]
    public async Task A_base64_encoded_body_is_decoded()
    {
        string body = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"binary":true}"""));
        (APIGatewayProxyResponse created, _) = await InvokeAsync("POST", "/items", "/items", body, base64: true);
        Assert.Equal(201, created.StatusCode);
        Assert.True(JsonDocument.Parse(created.Body).RootElement.GetProperty("data").GetProperty("binary").GetBoolean());
    }

    [Fact]
    public async Task Errors_carry_api_gateways_request_id_and_bad_input_is_400()
    {
        (APIGatewayProxyResponse response, _) = await InvokeAsync("POST", "/items", "/items", "[1,2]");
        Assert.Equal(400, response.StatusCode);
        JsonElement error = JsonDocument.Parse(response.Body).RootElement;
        Assert.Contains("JSON object", error.GetProperty("message").GetString());
        Assert.False(error.GetProperty("requestId").GetString()!.StartsWith("lambda-"));
    }

    [Fact]
    public async Task A_resource_that_is_not_ours_is_matched_by_path()
    {
        Assert.Equal(405, (await InvokeAsync("TRACE", "/{proxy+}", "/items")).Response.StatusCode); // a method no route can have
        Assert.Equal(404, (await InvokeAsync("GET", "/{proxy+}", "/other")).Response.StatusCode);
    }

    [Fact]
    public async Task Each_request_logs_one_message_template_with_api_gateways_request_id()
    {
        (APIGatewayProxyResponse response, TestLambdaContext context) = await InvokeAsync("GET", "/items/{id}", "/items/01ARZ3NDEKTSV4RRFFQ69G5FAV", id: "01ARZ3NDEKTSV4RRFFQ69G5FAV");

        // The runtime turns the template's values into fields (LambdaRuntimeTests runs it); here: what the adapter hands it.
        var entry = Assert.Single(((RecordingLambdaLogger)context.Logger).Entries);
        Assert.Equal("Information", entry.Level);
        Assert.Equal(LogEntry.RequestTemplate, entry.Template);
        Assert.Equal(["method", "resource", "status", "latencyMs", "apiGatewayRequestId"], LogEntry.Names(entry.Template));
        Assert.Equal("GET", entry.Values[0]);
        Assert.Equal("/items/{id}", entry.Values[1]);
        Assert.Equal(404, entry.Values[2]);
        Assert.InRange((double)entry.Values[3], 0, 60_000);
        Assert.Equal(JsonDocument.Parse(response.Body).RootElement.GetProperty("requestId").GetString(), entry.Values[4]);
        Assert.False(((string)entry.Values[4]).StartsWith("lambda-"));
    }

    [Fact]
    public async Task The_response_serializes_to_what_api_gateway_expects()
    {
        (APIGatewayProxyResponse response, _) = await InvokeAsync("GET", "/items", "/items", query: """{"limit":"0"}""");
        JsonElement json = LambdaEvents.ToJson(response);
        Assert.Equal(400, json.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/json", json.GetProperty("headers").GetProperty("Content-Type").GetString());
        Assert.Contains("limit", json.GetProperty("body").GetString());
        Assert.False(json.GetProperty("isBase64Encoded").GetBoolean());
    }
}
