using System.Diagnostics;
using System.Text.Json;
using Amazon.DynamoDBv2;
using ItemsApi.Core.Http;
using ItemsApi.Core.Items;
using ItemsApi.Core.Routes;
using ItemsApi.Core.Runtime;
using ItemsApi.TestKit.Faults;

namespace ItemsApi.Core.Tests;

/// <summary>
/// What a client sees when DynamoDB misbehaves on the wire: the real handler over a <see cref="DynamoItemStore"/> whose
/// client is made as the function makes it (<see cref="ItemsApiFactory.CreateDynamoDbClient"/>: the SDK's standard retry
/// mode, <see cref="DynamoDbClientSettings.MaxErrorRetry"/> retries, a 2 s attempt timeout), talking to dynalite through the
/// fault-injecting proxy. For each fault and route: the status, headers, body, log line, and what is stored afterwards.
/// </summary>
[Collection(DynamoDbCollection.Name), Trait("Category", DynamoDbCollection.Name)]
public sealed class DynamoDbFaultTests(DynamoDbFixture dynamoDb) : IAsyncLifetime
{
    private const string RequestId = "req-fault";
    private const string CreatedDocument = """{"name":"a"}""";
    private const string ReplacedDocument = """{"name":"b"}""";
    private const string SeededDocument = """{"name":"seed"}""";

    /// <summary>Longer than an attempt's timeout: the SDK gives the attempt up, and the proxy, seeing it gone, passes nothing on.</summary>
    private static readonly TimeSpan SlowAnswer = TimeSpan.FromSeconds(30);

    private TestTable _table = null!;
    private FaultyDynamoDbProxy _proxy = null!;
    private IAmazonDynamoDB _client = null!;
    private ItemsApiHandler _handler = null!;
    private readonly List<LogEntry> _log = [];
    private string _seededId = "";

    public async Task InitializeAsync()
    {
        _table = await dynamoDb.CreateTableAsync();
        _proxy = await FaultyDynamoDbProxy.StartAsync(dynamoDb.Endpoint);
        _client = ItemsApiFactory.CreateDynamoDbClient(_proxy.Endpoint);
        _handler = new ItemsApiHandler(new DynamoItemStore(_client, _table.Name, TimeProvider.System), CorsPolicy.Disabled, _log.Add);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _proxy.DisposeAsync();
        await _table.DisposeAsync();
    }

    /// <summary>The faults, by name: DynamoDB's five error answers, a slow answer, and a connection dropped before or after the call reached DynamoDB.</summary>
    public static TheoryData<string> Faults =>
    [
        nameof(DynamoDbFault.ProvisionedThroughputExceeded), nameof(DynamoDbFault.Throttling), nameof(DynamoDbFault.RequestLimitExceeded),
        nameof(DynamoDbFault.InternalServerError), nameof(DynamoDbFault.ServiceUnavailable),
        "SlowBeyondAttemptTimeout", nameof(DynamoDbFault.DropBefore), nameof(DynamoDbFault.DropAfter),
    ];

    /// <summary>The client's operations: a create without and with an Idempotency-Key, get, list, replace and delete.</summary>
    public static readonly string[] Operations = ["create", "createWithKey", "get", "list", "replace", "delete"];

    public static TheoryData<string, string> EveryFaultOnEveryOperation()
    {
        var data = new TheoryData<string, string>();
        foreach (string fault in Faults) foreach (string operation in Operations) data.Add(fault, operation);
        return data;
    }

    public static TheoryData<string> EveryOperation() => [.. Operations];

    [Theory, MemberData(nameof(EveryFaultOnEveryOperation))]
    public async Task A_fault_on_every_attempt_is_a_503_with_retry_after_saying_whether_a_write_was_applied(string fault, string operation)
    {
        await SeedAsync(operation);
        string before = await _table.SnapshotAsync();
        _proxy.Inject(new FaultRule(Fault(fault), DynamoDbOperation(operation)));

        ApiResponse response = await SendAsync(operation);

        bool throttled = fault is nameof(DynamoDbFault.ProvisionedThroughputExceeded) or nameof(DynamoDbFault.Throttling) or nameof(DynamoDbFault.RequestLimitExceeded);
        AssertDependencyError(response, operation, throttled ? DependencyFailureKind.Throttled : DependencyFailureKind.Unavailable);
        LogEntry entry = Assert.Single(_log);
        Assert.Equal(LogEntry.DependencyFailedTemplate, entry.Template);
        Assert.Equal(OperationId(operation), entry.Values[0]);
        Assert.Equal(ExpectedError(fault), entry.Values[2]);
        Assert.Equal(RequestId, entry.Values[4]);
        // The SDK spent its whole budget: the first attempt and every retry met the fault. An error answer costs one call per
        // attempt. A dropped or abandoned connection cost more calls than attempts here (measured: 13 for a drop, up to 4 for
        // a slow answer); which layer below the SDK's retry count repeats them was not established, so only "at least" is asserted.
        int faulted = _proxy.Calls.Count(call => call.Fault is not null);
        if (Fault(fault) is DynamoDbFault.ErrorAnswer) Assert.Equal(DynamoDbClientSettings.MaxErrorRetry + 1, faulted);
        else Assert.True(faulted >= DynamoDbClientSettings.MaxErrorRetry + 1, $"{faulted} calls met the fault");

        string after = await _table.SnapshotAsync();
        if (fault == nameof(DynamoDbFault.DropAfter) && operation is "create" or "createWithKey" or "replace" or "delete")
            AssertWriteApplied(operation, after);
        else
            Assert.Equal(before, after); // refused, failed or never passed on: nothing changed
    }

    /// <summary>The retry budget: a fault that lasts fewer attempts than the SDK makes is retried away, and the write lands once.</summary>
    [Theory, MemberData(nameof(EveryFaultOnEveryOperation))]
    public async Task A_fault_on_fewer_attempts_than_the_retry_budget_is_invisible_to_the_client(string fault, string operation)
    {
        await SeedAsync(operation);
        string before = await _table.SnapshotAsync();
        _proxy.Inject(new FaultRule(Fault(fault), DynamoDbOperation(operation), Times: DynamoDbClientSettings.MaxErrorRetry));

        ApiResponse response = await SendAsync(operation);

        if (fault == nameof(DynamoDbFault.DropAfter) && operation == "delete")
        {
            // The first attempt deleted the item and its answer was lost; the SDK's retry finds nothing to delete. The client
            // hears 404, "it is gone", which is the state it asked for; nothing tells this retry from another client's delete.
            Assert.Equal((404, "Item not found."), (response.StatusCode, Message(response)));
        }
        else
        {
            Assert.Equal(SuccessStatus(operation), response.StatusCode);
        }
        Assert.Empty(_log);
        Assert.Equal(DynamoDbClientSettings.MaxErrorRetry, _proxy.Calls.Count(call => call.Fault is not null));
        if (operation is "get" or "list") Assert.Equal(before, await _table.SnapshotAsync());
        else AssertWriteApplied(operation, await _table.SnapshotAsync());
        if (operation is "create" or "createWithKey")
            Assert.Equal(Stored(await _table.SnapshotAsync()).Single(IsItem)["id"], Json(response).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_create_whose_answer_is_lost_retried_with_the_same_idempotency_key_answers_the_same_item_stored_once()
    {
        // The key is claimed; then every attempt to store the item reaches DynamoDB and loses its answer.
        _proxy.Inject(new FaultRule(PassOn, "PutItem", Times: 1));
        _proxy.Inject(new FaultRule(DynamoDbFault.DropAfter, "PutItem"));

        ApiResponse failed = await SendAsync("createWithKey");

        AssertDependencyError(failed, "createWithKey", DependencyFailureKind.Unavailable);
        string itemId = Assert.Single(Stored(await _table.SnapshotAsync()), IsItem)["id"];

        _proxy.ClearFaults();
        ApiResponse retried = await SendAsync("createWithKey");
        ApiResponse again = await SendAsync("createWithKey");

        Assert.Equal(201, retried.StatusCode);
        Assert.Equal(itemId, Json(retried).GetProperty("id").GetString());
        Assert.Equal(CreatedDocument, Json(retried).GetProperty("data").GetRawText());
        Assert.Equal((201, retried.Body, retried.Headers["ETag"]), (again.StatusCode, again.Body, again.Headers["ETag"]));
        Assert.Single(Stored(await _table.SnapshotAsync()), IsItem);
    }

    [Fact]
    public async Task A_create_whose_key_claim_lost_its_answer_retried_with_the_same_key_creates_one_item_without_waiting_for_the_lease()
    {
        // Every PutItem reaches DynamoDB and loses its answer: the key is claimed, the item never stored.
        _proxy.Inject(new FaultRule(DynamoDbFault.DropAfter, "PutItem"));

        ApiResponse failed = await SendAsync("createWithKey");

        AssertDependencyError(failed, "createWithKey", DependencyFailureKind.Unavailable);
        Assert.DoesNotContain(Stored(await _table.SnapshotAsync()), IsItem);

        _proxy.ClearFaults();
        ApiResponse retried = await SendAsync("createWithKey");

        // As the 503 said: the retry with the same key creates the item once (not a 409 until the claim's lease ends).
        Assert.Equal(201, retried.StatusCode);
        string itemId = Assert.Single(Stored(await _table.SnapshotAsync()), IsItem)["id"];
        Assert.Equal(itemId, Json(retried).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_replace_whose_answer_is_lost_retried_with_the_same_if_match_is_412_and_the_first_write_stands()
    {
        await SeedAsync("replace");
        _proxy.Inject(new FaultRule(DynamoDbFault.DropAfter, "UpdateItem"));

        ApiResponse failed = await SendAsync("replace");
        AssertDependencyError(failed, "replace", DependencyFailureKind.Unavailable);

        _proxy.ClearFaults();
        ApiResponse retried = await SendAsync("replace");

        // The 503 told the client to GET the item and compare before retrying. Retrying blindly is safe all the same: the
        // If-Match makes the retry a 412, never a second write over someone else's; a GET then shows the client's own
        // document at version 2, which tells it that its first attempt landed.
        Assert.Equal((412, "The item has changed since you read it; GET it again and retry with the new ETag."), (retried.StatusCode, Message(retried)));
        Dictionary<string, string> item = Assert.Single(Stored(await _table.SnapshotAsync()));
        Assert.Equal(("2", ReplacedDocument), (item["version"], item["document"]));
        ApiResponse read = await _handler.HandleAsync(Request("GET", "/items/" + _seededId));
        Assert.Equal(("\"2\"", ReplacedDocument), (read.Headers["ETag"], Json(read).GetProperty("data").GetRawText()));
    }

    [Theory, MemberData(nameof(EveryOperation))]
    public async Task A_slow_dynamodb_is_answered_503_before_the_deadline_with_the_deadline_log_line_and_nothing_written(string operation)
    {
        await SeedAsync(operation);
        string before = await _table.SnapshotAsync();
        _proxy.Inject(new FaultRule(DynamoDbFault.DelayBefore(SlowAnswer), DynamoDbOperation(operation)));
        // As the function derives it from Lambda's remaining time (ItemsFunction); the budget is shorter than one attempt's
        // timeout, so it is the deadline, not the SDK, that ends the call.
        TimeSpan remainingTime = TimeSpan.FromSeconds(1.5);
        using var deadline = new CancellationTokenSource(RequestDeadline.Budget(remainingTime));

        var clock = Stopwatch.StartNew();
        ApiResponse response = await _handler.HandleAsync(Request(operation), deadline.Token);
        clock.Stop();

        // The deadline (1 s) ended the call, long before an attempt's timeout (2 s) or the delay (30 s) would have. That the
        // answer also comes within the margin before Lambda's timeout is Functions.Tests' check, under the Runtime API;
        // here, among the other test classes running in parallel, that 500 ms margin is not asserted.
        Assert.True(clock.Elapsed < DynamoDbClientSettings.AttemptTimeout, $"answered after {clock.ElapsedMilliseconds} ms");
        AssertDependencyError(response, operation, DependencyFailureKind.DeadlineExceeded);
        LogEntry entry = Assert.Single(_log);
        Assert.Equal(LogEntry.DeadlineExceededTemplate, entry.Template);
        Assert.Equal(OperationId(operation), entry.Values[0]);
        // The deadline's timer may fire a few milliseconds early.
        Assert.InRange((double)entry.Values[1], RequestDeadline.Budget(remainingTime).TotalMilliseconds - 50, clock.Elapsed.TotalMilliseconds);
        Assert.Equal(RequestId, entry.Values[2]);
        // The delayed call was given up before it was passed on: a conditional write either happened or, here, did not.
        await Task.Delay(200); // room for the proxy to see the closed connection
        Assert.Equal(before, await _table.SnapshotAsync());
    }

    private static void AssertDependencyError(ApiResponse response, string operation, DependencyFailureKind kind)
    {
        Assert.Equal(503, response.StatusCode);
        Assert.Equal("1", response.Headers["Retry-After"]);
        Assert.Equal("application/json", response.Headers["Content-Type"]);
        Assert.Equal(JsonSerializer.Serialize(new { message = ExpectedMessage(operation, kind), requestId = RequestId }), response.Body);
    }

    /// <summary>The whole message, written out: what the client reads.</summary>
    private static string ExpectedMessage(string operation, DependencyFailureKind kind)
    {
        string cause = kind switch
        {
            DependencyFailureKind.Throttled => "The item store is over capacity (DynamoDB throttled the request).",
            DependencyFailureKind.Unavailable => "The item store failed or did not answer (DynamoDB).",
            _ => "The item store did not answer in time.",
        };
        bool refused = kind == DependencyFailureKind.Throttled;
        string next = operation switch
        {
            "createWithKey" => "Retry with the same Idempotency-Key after 1 s: it answers with the item if it was created and creates it once if not.",
            "create" when refused => "No item was created; retry after 1 s.",
            "create" => "An item may or may not have been created: list the items to check before you retry after 1 s, and send an Idempotency-Key with every create so that a retry cannot create a second item.",
            "replace" when refused => "The item was not replaced; retry after 1 s.",
            "replace" => "The item may or may not have been replaced: GET it and compare its ETag before you retry after 1 s.",
            "delete" when refused => "The item was not deleted; retry after 1 s.",
            "delete" => "The item may or may not have been deleted: GET it (404 means it is gone) before you retry after 1 s.",
            _ => "Nothing was changed; retry after 1 s.",
        };
        return cause + " " + next;
    }

    /// <summary>The exception the log line names: the SDK's type for each error answer; for no answer, what the SDK throws last.</summary>
    private static string ExpectedError(string fault) => fault switch
    {
        nameof(DynamoDbFault.ProvisionedThroughputExceeded) => "Amazon.DynamoDBv2.Model.ProvisionedThroughputExceededException",
        nameof(DynamoDbFault.Throttling) => "Amazon.DynamoDBv2.Model.ThrottlingException",
        nameof(DynamoDbFault.RequestLimitExceeded) => "Amazon.DynamoDBv2.Model.RequestLimitExceededException",
        nameof(DynamoDbFault.InternalServerError) => "Amazon.DynamoDBv2.Model.InternalServerErrorException",
        nameof(DynamoDbFault.ServiceUnavailable) => "Amazon.DynamoDBv2.AmazonDynamoDBException",
        // The attempt's timeout (the client's Timeout), as the SDK reports it.
        "SlowBeyondAttemptTimeout" => "System.TimeoutException",
        // A dropped connection, before or after DynamoDB saw the call: the two are the same to the SDK.
        _ => "System.IO.IOException",
    };

    /// <summary>What the table holds after the operation's write landed once.</summary>
    private void AssertWriteApplied(string operation, string snapshot)
    {
        List<Dictionary<string, string>> stored = Stored(snapshot);
        switch (operation)
        {
            case "create":
                Dictionary<string, string> created = Assert.Single(stored);
                Assert.Equal(("1", CreatedDocument), (created["version"], created["document"]));
                break;
            case "createWithKey":
                // The key's record, and the item once; or, when only the claim landed, the record alone.
                Assert.Single(stored, record => !IsItem(record));
                Assert.All(stored.Where(IsItem), item => Assert.Equal(("1", CreatedDocument), (item["version"], item["document"])));
                Assert.InRange(stored.Count(IsItem), 0, 1);
                break;
            case "replace":
                Dictionary<string, string> replaced = Assert.Single(stored);
                Assert.Equal((_seededId, "2", ReplacedDocument), (replaced["id"], replaced["version"], replaced["document"]));
                break;
            case "delete":
                Assert.Empty(stored);
                break;
        }
    }

    /// <summary>The snapshot's lines as attribute maps.</summary>
    private static List<Dictionary<string, string>> Stored(string snapshot) =>
        [.. snapshot.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('|')
            .Select(attribute => attribute.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]))];

    private static bool IsItem(Dictionary<string, string> stored) => !IdempotencyKey.IsRecordId(stored["id"]);

    /// <summary>An item to get, list, replace or delete, stored through the proxy before any fault is set.</summary>
    private async Task SeedAsync(string operation)
    {
        if (operation is "create" or "createWithKey") return;
        ApiResponse created = await _handler.HandleAsync(Request("POST", "/items", SeededDocument));
        Assert.Equal(201, created.StatusCode);
        _seededId = Json(created).GetProperty("id").GetString()!;
    }

    private Task<ApiResponse> SendAsync(string operation) => _handler.HandleAsync(Request(operation));

    private ApiRequest Request(string operation) => operation switch
    {
        "create" => Request("POST", "/items", CreatedDocument),
        "createWithKey" => Request("POST", "/items", CreatedDocument, (RouteTable.IdempotencyKeyHeader, "key-1")),
        "get" => Request("GET", "/items/" + _seededId),
        "list" => Request("GET", "/items"),
        "replace" => Request("PUT", "/items/" + _seededId, ReplacedDocument, ("If-Match", "\"1\"")),
        "delete" => Request("DELETE", "/items/" + _seededId, null, ("If-Match", "\"1\"")),
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    private static ApiRequest Request(string method, string path, string? body = null, params (string Name, string Value)[] headers) => new()
    {
        Method = method,
        Path = path,
        Body = body,
        Headers = headers.Concat(body is null ? [] : [("Content-Type", "application/json")]).ToDictionary(h => h.Name, h => h.Value),
        RequestId = RequestId,
    };

    /// <summary>The DynamoDB call each operation makes first (a create with a key: the claim of its key).</summary>
    private static string DynamoDbOperation(string operation) => operation switch
    {
        "create" or "createWithKey" => "PutItem",
        "get" => "GetItem",
        "list" => "Scan",
        "replace" => "UpdateItem",
        "delete" => "DeleteItem",
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    private string OperationId(string operation)
    {
        ApiRequest request = Request(operation);
        return RouteTable.Match(request.Method, request.Path).Route!.OperationId;
    }

    private static int SuccessStatus(string operation) => operation switch
    {
        "create" or "createWithKey" => 201,
        "delete" => 204,
        _ => 200,
    };

    private static DynamoDbFault Fault(string name) => name == "SlowBeyondAttemptTimeout"
        ? DynamoDbFault.DelayBefore(SlowAnswer)
        : (DynamoDbFault)typeof(DynamoDbFault).GetProperty(name)!.GetValue(null)!;

    /// <summary>A rule that passes a call on untouched, to let the first calls of an operation through before a fault.</summary>
    private static readonly DynamoDbFault PassOn = DynamoDbFault.DelayBefore(TimeSpan.Zero);

    private static JsonElement Json(ApiResponse response) => JsonDocument.Parse(response.Body!).RootElement;

    private static string Message(ApiResponse response) => Json(response).GetProperty("message").GetString()!;
}
