using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ItemsApi.Core.Items;
using ItemsApi.Core.Routes;
using ItemsApi.Core.Runtime;
using ItemsApi.DeployTime.Packaging;
using ItemsApi.DeployTime.Settings;
using ItemsApi.LocalLambda;
using ItemsApi.TestKit.Faults;

namespace ItemsApi.Functions.Tests;

/// <summary>
/// The function as Lambda runs it (the managed runtime's way, and the Native AOT <c>bootstrap</c>), under the local
/// Runtime API, with <c>DYNAMODB_ENDPOINT</c> set to the fault-injecting proxy in front of dynalite: throttling, a
/// DynamoDB 5xx, a DynamoDB slower than Lambda's remaining time (as the Runtime API's deadline header tells it), and a
/// create whose answer is lost, retried with its Idempotency-Key. Both builds must answer, log and store the same.
/// </summary>
public sealed partial class FaultInjectionFunctionTests(FunctionEnvironmentFixture dynamoDb) : IClassFixture<FunctionEnvironmentFixture>
{
    /// <summary>The function's time for the deadline step: shorter than an attempt's timeout, so the deadline ends the call.</summary>
    private static readonly TimeSpan ShortLambdaTimeout = TimeSpan.FromSeconds(1.5);

    /// <summary>What each step must answer, whatever the build.</summary>
    private static readonly IReadOnlyDictionary<string, int> ExpectedStatuses = new Dictionary<string, int>
    {
        ["throttled create"] = 503, ["list failing on every attempt"] = 503, ["create slower than Lambda's timeout"] = 503,
        ["create with a key, its answer lost"] = 503, ["the same create retried with its key"] = 201, ["the same create once more"] = 201,
    };

    [Fact]
    public async Task The_managed_function_answers_each_fault_with_a_503_in_time_and_a_retried_create_stores_one_item()
    {
        Run managed = await RunAsync(FunctionLaunch.Managed(typeof(Program).Assembly.Location, FunctionContract.ItemsHandler));

        Assert.Equal(ExpectedStatuses, managed.Answers.ToDictionary(a => a.Step, a => a.Status));
        Assert.Equal(
            "The item store is over capacity (DynamoDB throttled the request). No item was created; retry after 1 s.",
            Message(managed, "throttled create"));
        Assert.Equal("The item store failed or did not answer (DynamoDB). Nothing was changed; retry after 1 s.", Message(managed, "list failing on every attempt"));
        Assert.Equal(
            "The item store did not answer in time. An item may or may not have been created: list the items to check before you retry after 1 s, and send an Idempotency-Key with every create so that a retry cannot create a second item.",
            Message(managed, "create slower than Lambda's timeout"));
        Assert.All(managed.Answers.Where(a => a.Status == 503), a => Assert.Contains("\"Retry-After\":\"1\"", a.Response));
        Assert.Equal(AnswerOf(managed, "the same create retried with its key").Response, AnswerOf(managed, "the same create once more").Response);

        // The log: a line per request with its status, and before each 503 the failure's line naming the operation and the
        // error (the deadline's line names the operation and the time spent).
        Assert.Equal([503, 503, 503, 503, 201, 201], managed.Log.Where(line => line.Status is not null).Select(line => line.Status!.Value));
        Assert.Equal(
            [
                ("createItem", "Amazon.DynamoDBv2.Model.ProvisionedThroughputExceededException"),
                ("listItems", "Amazon.DynamoDBv2.Model.InternalServerErrorException"),
                ("createItem", null),
                ("createItem", "System.IO.IOException"),
            ],
            managed.Log.Where(line => line.Status is null).Select(line => (line.Value("operation"), line.Value("error"))));
        LogLine deadline = managed.Log.Where(line => line.Status is null).ElementAt(2);
        Assert.StartsWith("createItem ran out of time after ", deadline.Value("message"));
        Assert.InRange(double.Parse(deadline.Value("elapsedMs")!, System.Globalization.CultureInfo.InvariantCulture),
            RequestDeadline.Budget(ShortLambdaTimeout).TotalMilliseconds - 100, ShortLambdaTimeout.TotalMilliseconds);
    }

    [RequiresFact(typeof(NativeAot))]
    public async Task The_native_function_answers_and_logs_every_fault_as_the_managed_build_does()
    {
        string bootstrap = Path.Combine((await PublishedFunctions.GetAsync(FunctionBuild.NativeAot, NativeTarget.RequiredHost)).Folder,
            FunctionContract.NativeExecutable);

        Run native = await RunAsync(FunctionLaunch.Native(bootstrap, FunctionContract.ItemsEntryPoint));
        Run managed = await RunAsync(FunctionLaunch.Managed(typeof(Program).Assembly.Location, FunctionContract.ItemsHandler));

        Assert.Equal(ExpectedStatuses, native.Answers.ToDictionary(a => a.Step, a => a.Status));
        Assert.Equal(managed.Answers, native.Answers);
        // The same lines, with the same fields in the same order and the same values where a run cannot change them.
        Assert.Equal(managed.Log.Select(line => line.Fields), native.Log.Select(line => line.Fields));
        Assert.Equal(managed.Log.Select(line => line.StableValues), native.Log.Select(line => line.StableValues));
    }

    private sealed record Answer(string Step, int Status, string Response);

    /// <summary>One JSON log line: its field names, the values that do not vary from run to run, and the request line's status.</summary>
    private sealed record LogLine(string Fields, string StableValues, int? Status, IReadOnlyDictionary<string, string> Values)
    {
        public string? Value(string name) => Values.GetValueOrDefault(name);
    }

    private sealed record Run(IReadOnlyList<Answer> Answers, IReadOnlyList<LogLine> Log);

    private async Task<Run> RunAsync(FunctionLaunch launch)
    {
        string table = "items-faults-" + Guid.NewGuid().ToString("N")[..12];
        using var client = ItemsApiFactory.CreateDynamoDbClient(dynamoDb.Endpoint);
        await ItemsTableSchema.EnsureExistsAsync(client, table);
        await using FaultyDynamoDbProxy proxy = await FaultyDynamoDbProxy.StartAsync(dynamoDb.Endpoint);
        try
        {
            await using LambdaRuntimeProcess function = await LambdaRuntimeProcess.StartAsync(launch, "JSON", new Dictionary<string, string>
            {
                [FunctionContract.TableNameVariable] = table, [FunctionContract.DynamoDbEndpointVariable] = proxy.Endpoint,
            });
            var answers = new List<Answer>();
            async Task<Answer> Step(string step, string method, string resource, string? body = null, string? key = null, TimeSpan? timeout = null)
            {
                string request = ApiGatewayEvents.ProxyRequest(method, resource, resource, "apigw-" + answers.Count, body);
                long sent = Stopwatch.GetTimestamp();
                InvocationResult result = await function.InvokeAsync(key is null ? request : WithIdempotencyKey(request, key), timeout);
                TimeSpan took = Stopwatch.GetElapsedTime(sent, result.AnsweredAt);
                Assert.False(result.IsError, $"{step}: {result.Body}");
                Assert.True(took < (timeout ?? LambdaRuntimeApi.DefaultTimeout), $"{step}: answered after {took}, past the function's timeout");
                var answer = new Answer(step, result.Json.GetProperty("statusCode").GetInt32(), Stable(result.Body));
                answers.Add(answer);
                return answer;
            }

            // Init is over (its priming read has passed) before any fault is set.
            await Step("warm-up: list", "GET", "/items");
            answers.Clear();

            proxy.Inject(new FaultRule(DynamoDbFault.ProvisionedThroughputExceeded, "PutItem"));
            await Step("throttled create", "POST", "/items", """{"name":"lamp"}""");
            proxy.ClearFaults();

            proxy.Inject(new FaultRule(DynamoDbFault.InternalServerError, "Scan"));
            await Step("list failing on every attempt", "GET", "/items");
            proxy.ClearFaults();

            // The function reads its remaining time from the Runtime API's deadline header; DynamoDB takes longer than that.
            proxy.Inject(new FaultRule(DynamoDbFault.DelayBefore(TimeSpan.FromSeconds(30)), "PutItem"));
            await Step("create slower than Lambda's timeout", "POST", "/items", """{"name":"lamp"}""", timeout: ShortLambdaTimeout);
            proxy.ClearFaults();
            await Task.Delay(200); // room for the proxy to see the given-up call closed
            Assert.Equal(0, await CountAsync(client, table, item: true));

            // The key is claimed; every attempt to store the item reaches DynamoDB and loses its answer.
            proxy.Inject(new FaultRule(DynamoDbFault.DelayBefore(TimeSpan.Zero), "PutItem", Times: 1));
            proxy.Inject(new FaultRule(DynamoDbFault.DropAfter, "PutItem"));
            await Step("create with a key, its answer lost", "POST", "/items", """{"name":"desk"}""", key: "retry-me-1");
            proxy.ClearFaults();
            await Step("the same create retried with its key", "POST", "/items", """{"name":"desk"}""", key: "retry-me-1");
            await Step("the same create once more", "POST", "/items", """{"name":"desk"}""", key: "retry-me-1");
            Assert.Equal(1, await CountAsync(client, table, item: true));

            IReadOnlyList<string> lines = await function.StopAsync();
            return new Run(answers, [.. lines.Skip(1).Select(Parse)]); // the warm-up's line is not a fault's
        }
        finally
        {
            await client.DeleteTableAsync(table);
        }
    }

    /// <summary>The event with an Idempotency-Key header, as API Gateway passes a declared request header on.</summary>
    private static string WithIdempotencyKey(string eventJson, string key)
    {
        JsonNode request = JsonNode.Parse(eventJson)!;
        request["headers"]![RouteTable.IdempotencyKeyHeader] = key;
        request["multiValueHeaders"]![RouteTable.IdempotencyKeyHeader] = new JsonArray(key);
        return request.ToJsonString();
    }

    private static async Task<int> CountAsync(Amazon.DynamoDBv2.IAmazonDynamoDB client, string table, bool item)
    {
        var scan = await client.ScanAsync(new Amazon.DynamoDBv2.Model.ScanRequest { TableName = table, ConsistentRead = true });
        return scan.Items.Count(attributes => IdempotencyKey.IsRecordId(attributes[ItemsTableSchema.PartitionKey].S) != item);
    }

    /// <summary>The response with what differs from run to run replaced: the new item's id and the times.</summary>
    private static string Stable(string body) => Timestamp().Replace(ItemIdPattern().Replace(body, "<id>"), "<time>");

    private static LogLine Parse(string jsonLine)
    {
        JsonElement line = JsonDocument.Parse(jsonLine).RootElement;
        string fields = string.Join(",", line.EnumerateObject().Select(p => p.Name));
        // Values that vary by run: times, ids, the latency and time spent, and the SDK's message text (it names the request id).
        string[] varying = ["timestamp", "requestId", "traceId", "latencyMs", "elapsedMs", "detail", "message"];
        string stable = string.Join(",", line.EnumerateObject().Where(p => !varying.Contains(p.Name)).Select(p => $"{p.Name}={p.Value}"));
        int? status = line.TryGetProperty("status", out JsonElement value) ? value.GetInt32() : null;
        return new LogLine(fields, stable, status,
            line.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()));
    }

    private static Answer AnswerOf(Run run, string step) => run.Answers.Single(a => a.Step == step);

    private static string Message(Run run, string step)
    {
        string body = JsonDocument.Parse(AnswerOf(run, step).Response).RootElement.GetProperty("body").GetString()!;
        return JsonDocument.Parse(body).RootElement.GetProperty("message").GetString()!;
    }

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")]
    private static partial Regex Timestamp();

    [GeneratedRegex("[0-9A-HJKMNP-TV-Z]{26}")]
    private static partial Regex ItemIdPattern();
}
