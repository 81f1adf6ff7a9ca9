using System.Text.Json;
using ItemsApi.Core.Auth;
using ItemsApi.Core.Http;
using ItemsApi.Core.Runtime;
using ItemsApi.LocalLambda;

namespace ItemsApi.Functions.Tests;

/// <summary>
/// The functions under Lambda's own runtime, Amazon.Lambda.RuntimeSupport, started as the managed dotnet10 runtime
/// starts it (<see cref="LambdaRuntimeProcess"/>): what these processes write is what reaches CloudWatch Logs.
/// </summary>
public sealed class LambdaRuntimeTests(FunctionEnvironmentFixture dynamoDb) : IClassFixture<FunctionEnvironmentFixture>
{
    private const string Token = "tkn_runtime-test-7f3c9a1e";
    private const string ItemId = "01ARZ3NDEKTSV4RRFFQ69G5FAV";

    /// <summary>The fields the runtime writes on every line of the JSON format.</summary>
    private static readonly string[] RuntimeFields = ["timestamp", "level", "requestId", "traceId", "message"];

    /// <summary>The managed dotnet10 runtime's way: this test assembly's Main hands the handler string to RuntimeSupport.</summary>
    private static FunctionLaunch Managed(string handler) => FunctionLaunch.Managed(typeof(Program).Assembly.Location, handler);

    private Dictionary<string, string> ItemsEnvironment(string table) => new()
    {
        [FunctionContract.TableNameVariable] = table,
        [FunctionContract.DynamoDbEndpointVariable] = dynamoDb.Endpoint,
    };

    private static Dictionary<string, string> AuthorizerEnvironment() => new()
    {
        [FunctionContract.AuthorizerTokenHashesVariable] = BearerTokenAuthorizer.HashToken(Token),
    };

    [Fact]
    public async Task The_items_function_writes_one_json_line_per_request_with_lambdas_and_api_gateways_request_ids()
    {
        await using LambdaRuntimeProcess lambda = await LambdaRuntimeProcess.StartAsync(Managed(FunctionContract.ItemsHandler), "JSON", ItemsEnvironment(dynamoDb.TableName));
        string createId = Guid.NewGuid().ToString(), otherId = Guid.NewGuid().ToString();
        InvocationResult created = await lambda.InvokeAsync(ApiGatewayEvents.ProxyRequest("POST", "/items", "/items", createId, """{"name":"lamp"}"""));
        InvocationResult other = await lambda.InvokeAsync(ApiGatewayEvents.ProxyRequest("GET", "/{proxy+}", "/other", otherId));
        IReadOnlyList<JsonElement> lines = JsonLines(await lambda.StopAsync());

        Assert.Equal(201, created.Json.GetProperty("statusCode").GetInt32());
        Assert.Equal(404, other.Json.GetProperty("statusCode").GetInt32());
        // Init (priming included) writes nothing; each request writes exactly one line.
        Assert.Equal(2, lines.Count);
        AssertRequestLine(Assert.Single(lines, l => l.GetProperty("requestId").GetString() == created.RequestId), created, createId, "POST", "/items", 201);
        AssertRequestLine(Assert.Single(lines, l => l.GetProperty("requestId").GetString() == other.RequestId), other, otherId, "GET", "/{proxy+}", 404);
    }

    [Fact]
    public async Task A_failed_request_logs_its_error_as_fields_too()
    {
        // A table that does not exist: priming in init fails, then the request does (500).
        await using LambdaRuntimeProcess lambda = await LambdaRuntimeProcess.StartAsync(Managed(FunctionContract.ItemsHandler), "JSON", ItemsEnvironment("no-such-table"));
        string apiGatewayRequestId = Guid.NewGuid().ToString();
        InvocationResult failed = await lambda.InvokeAsync(ApiGatewayEvents.ProxyRequest("GET", "/items/{id}", "/items/" + ItemId, apiGatewayRequestId, id: ItemId));
        IReadOnlyList<JsonElement> lines = JsonLines(await lambda.StopAsync());

        Assert.Equal(500, failed.Json.GetProperty("statusCode").GetInt32());
        Assert.Equal(3, lines.Count);
        const string error = "Amazon.DynamoDBv2.Model.ResourceNotFoundException";

        // Init belongs to no request, so the runtime writes no requestId.
        JsonElement prime = lines[0];
        Assert.Equal([.. RuntimeFields.Except(["requestId", "traceId"]), "error", "detail"], Names(prime));
        Assert.Equal("Error", prime.GetProperty("level").GetString());
        Assert.Equal(error, prime.GetProperty("error").GetString());

        JsonElement failure = lines[1];
        Assert.Equal([.. RuntimeFields, "method", "path", "error", "detail", "apiGatewayRequestId"], Names(failure));
        Assert.Equal("Error", failure.GetProperty("level").GetString());
        Assert.Equal(failed.RequestId, failure.GetProperty("requestId").GetString());
        Assert.Equal(apiGatewayRequestId, failure.GetProperty("apiGatewayRequestId").GetString());
        Assert.Equal("/items/" + ItemId, failure.GetProperty("path").GetString());
        Assert.Equal(error, failure.GetProperty("error").GetString());
        Assert.NotEqual("", failure.GetProperty("detail").GetString());

        AssertRequestLine(lines[2], failed, apiGatewayRequestId, "GET", "/items/{id}", 500);
    }

    [Fact]
    public async Task An_authorizer_denial_writes_exactly_one_line_without_a_stack_trace_and_api_gateway_reads_unauthorized()
    {
        await using LambdaRuntimeProcess lambda = await LambdaRuntimeProcess.StartAsync(Managed(FunctionContract.AuthorizerHandler), "JSON", AuthorizerEnvironment());
        InvocationResult allowed = await lambda.InvokeAsync(ApiGatewayEvents.TokenAuthorizerRequest("Bearer " + Token));
        var denials = new List<(InvocationResult Result, string Reason)>();
        foreach ((string header, string reason) in new[]
                 {
                     ("", BearerTokenAuthorizer.MissingToken),
                     ("Basic " + Token, BearerTokenAuthorizer.MalformedToken),
                     ("Bearer " + Token + "-guessed", BearerTokenAuthorizer.UnknownToken),
                 })
            denials.Add((await lambda.InvokeAsync(ApiGatewayEvents.TokenAuthorizerRequest(header)), reason));
        IReadOnlyList<string> text = await lambda.StopAsync();
        IReadOnlyList<JsonElement> lines = JsonLines(text);

        Assert.False(allowed.IsError);
        Assert.StartsWith("token-", allowed.Json.GetProperty("principalId").GetString());
        Assert.Equal(denials.Count, lines.Count); // nothing for the allowed call, one line per denial
        Assert.All(text, line => Assert.DoesNotContain("   at ", line));
        Assert.All(text, line => Assert.DoesNotContain(Token, line));
        foreach ((InvocationResult denied, string reason) in denials)
        {
            // API Gateway answers 401 because the error report's errorMessage is exactly "Unauthorized".
            Assert.Equal("UnauthorizedException", denied.ErrorType);
            JsonElement report = denied.Json;
            Assert.Equal("Unauthorized", report.GetProperty("errorMessage").GetString());
            Assert.False(report.TryGetProperty("stackTrace", out _));

            JsonElement line = Assert.Single(lines, l => l.GetProperty("requestId").GetString() == denied.RequestId);
            Assert.Equal([.. RuntimeFields, "errorType", "errorMessage", "stackTrace"], Names(line));
            Assert.Equal("Error", line.GetProperty("level").GetString());
            Assert.Equal(denied.TraceId, line.GetProperty("traceId").GetString());
            Assert.Equal("ItemsApi.Functions.UnauthorizedException", line.GetProperty("errorType").GetString());
            Assert.Equal("Unauthorized", line.GetProperty("errorMessage").GetString());
            Assert.Equal([$"ItemsApi.Functions.UnauthorizedException: Unauthorized ({reason})"],
                line.GetProperty("stackTrace").EnumerateArray().Select(l => l.GetString()));
        }
    }

    [Fact]
    public async Task Under_the_text_format_each_line_reads_as_one_sentence_after_lambdas_prefix()
    {
        string apiGatewayRequestId = Guid.NewGuid().ToString();
        InvocationResult request, denial;
        IReadOnlyList<string> itemsLines, authorizerLines;
        await using (LambdaRuntimeProcess items = await LambdaRuntimeProcess.StartAsync(Managed(FunctionContract.ItemsHandler), "Text", ItemsEnvironment(dynamoDb.TableName)))
        {
            request = await items.InvokeAsync(ApiGatewayEvents.ProxyRequest("GET", "/{proxy+}", "/other", apiGatewayRequestId));
            itemsLines = await items.StopAsync();
        }
        await using (LambdaRuntimeProcess authorizer = await LambdaRuntimeProcess.StartAsync(Managed(FunctionContract.AuthorizerHandler), "Text", AuthorizerEnvironment()))
        {
            denial = await authorizer.InvokeAsync(ApiGatewayEvents.TokenAuthorizerRequest("Bearer someone-elses-token"));
            authorizerLines = await authorizer.StopAsync();
        }

        // <timestamp> TAB <Lambda's request id> TAB <level> TAB <message>
        string[] line = Assert.Single(itemsLines).Split('\t');
        Assert.Equal([request.RequestId, "info"], line[1..3]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", line[0]);
        Assert.Matches($@"^GET /\{{proxy\+\}} answered 404 in \d+(\.\d+)? ms, API Gateway request {apiGatewayRequestId}$", line[3]);

        Assert.Equal([denial.RequestId, "fail", "ItemsApi.Functions.UnauthorizedException: Unauthorized (unknown token)"],
            Assert.Single(authorizerLines).Split('\t')[1..]);
    }

    private static void AssertRequestLine(JsonElement line, InvocationResult invocation, string apiGatewayRequestId, string method, string resource, int status)
    {
        Assert.Equal([.. RuntimeFields, "method", "resource", "status", "latencyMs", "apiGatewayRequestId"], Names(line));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", line.GetProperty("timestamp").GetString());
        Assert.Equal("Information", line.GetProperty("level").GetString());
        Assert.Equal(invocation.RequestId, line.GetProperty("requestId").GetString());
        Assert.Equal(invocation.TraceId, line.GetProperty("traceId").GetString());
        Assert.Equal(apiGatewayRequestId, line.GetProperty("apiGatewayRequestId").GetString());
        Assert.Equal(method, line.GetProperty("method").GetString());
        Assert.Equal(resource, line.GetProperty("resource").GetString());
        Assert.Equal(status, line.GetProperty("status").GetInt32());
        double latency = line.GetProperty("latencyMs").GetDouble();
        Assert.InRange(latency, 0, 60_000);
        Assert.Equal(new LogEntry(LogEntry.RequestTemplate, method, resource, status, latency, apiGatewayRequestId).Render(),
            line.GetProperty("message").GetString());
    }

    /// <summary>Every line as a JSON object: a line that is not one fails the test.</summary>
    private static IReadOnlyList<JsonElement> JsonLines(IReadOnlyList<string> lines) =>
        lines.Select(line =>
        {
            JsonElement json = JsonDocument.Parse(line).RootElement.Clone();
            Assert.Equal(JsonValueKind.Object, json.ValueKind);
            return json;
        }).ToList();

    private static string[] Names(JsonElement line) => line.EnumerateObject().Select(p => p.Name).ToArray();
}
