using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using ItemsApi.Core.Items;
using ItemsApi.TestKit.Faults;

namespace ItemsApi.Core.Tests;

/// <summary>
/// The fault-injecting proxy the fault tests and the soak rely on: each fault reaches the SDK as DynamoDB's real answer
/// would (the exception type, error code and status the SDK builds from the wire), and a write that was passed on has
/// happened, whatever the caller heard. The SDK client here never retries, so each call meets exactly one fault.
/// </summary>
[Collection(DynamoDbCollection.Name), Trait("Category", DynamoDbCollection.Name)]
public sealed class FaultyDynamoDbProxyTests(DynamoDbFixture dynamoDb) : IAsyncLifetime
{
    private TestTable _table = null!;
    private FaultyDynamoDbProxy _proxy = null!;
    private AmazonDynamoDBClient _client = null!;

    public async Task InitializeAsync()
    {
        _table = await dynamoDb.CreateTableAsync();
        _proxy = await FaultyDynamoDbProxy.StartAsync(dynamoDb.Endpoint);
        _client = _proxy.SingleAttemptClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _proxy.DisposeAsync();
        await _table.DisposeAsync();
    }

    public static TheoryData<string, Type, string, HttpStatusCode> ErrorAnswers() => new()
    {
        { nameof(DynamoDbFault.ProvisionedThroughputExceeded), typeof(ProvisionedThroughputExceededException), "ProvisionedThroughputExceededException", HttpStatusCode.BadRequest },
        { nameof(DynamoDbFault.Throttling), typeof(ThrottlingException), "ThrottlingException", HttpStatusCode.BadRequest },
        { nameof(DynamoDbFault.RequestLimitExceeded), typeof(RequestLimitExceededException), "RequestLimitExceeded", HttpStatusCode.BadRequest },
        { nameof(DynamoDbFault.InternalServerError), typeof(InternalServerErrorException), "InternalServerError", HttpStatusCode.InternalServerError },
        { nameof(DynamoDbFault.ServiceUnavailable), typeof(AmazonDynamoDBException), "ServiceUnavailableException", HttpStatusCode.ServiceUnavailable },
    };

    [Theory, MemberData(nameof(ErrorAnswers))]
    public async Task An_error_answer_reaches_the_sdk_as_dynamodbs_own_and_nothing_is_written(string fault, Type exceptionType, string code, HttpStatusCode status)
    {
        _proxy.Inject(new FaultRule(Fault(fault), Operation: "PutItem", Times: 1));

        var exception = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => PutAsync("a"));

        Assert.IsType(exceptionType, exception);
        Assert.Equal(code, exception.ErrorCode);
        Assert.Equal(status, exception.StatusCode);
        Assert.False(string.IsNullOrEmpty(exception.RequestId));
        Assert.Empty(await _table.SnapshotAsync());
        // Times: 1 — the next call passes.
        await PutAsync("b");
        Assert.Equal(["PutItem", "PutItem"], _proxy.Calls.Select(c => c.Operation));
        Assert.Equal([Fault(fault), null], _proxy.Calls.Select(c => c.Fault));
    }

    // Every attempt is dropped: the SDK retries a dropped connection as a transient error (RetryPolicy.IsTransientError
    // takes any IOException), so a rule for one attempt would only be seen as a slower call.
    [Fact]
    public async Task A_connection_dropped_before_forwarding_writes_nothing()
    {
        _proxy.Inject(new FaultRule(DynamoDbFault.DropBefore, Operation: "PutItem"));

        await Assert.ThrowsAnyAsync<IOException>(() => PutAsync("a"));

        Assert.NotEmpty(_proxy.Calls);
        Assert.All(_proxy.Calls, call => Assert.Equal(DynamoDbFault.DropBefore, call.Fault));
        Assert.Empty(await _table.SnapshotAsync());
    }

    [Fact]
    public async Task A_connection_dropped_after_forwarding_loses_the_answer_but_the_write_happened()
    {
        _proxy.Inject(new FaultRule(DynamoDbFault.DropAfter, Operation: "PutItem"));

        await Assert.ThrowsAnyAsync<IOException>(() => PutAsync("a"));

        Assert.Contains("id=a", await _table.SnapshotAsync());
    }

    [Fact]
    public async Task A_delayed_answer_outlasts_the_callers_timeout_but_the_write_happened()
    {
        _proxy.Inject(new FaultRule(DynamoDbFault.DelayAfter(TimeSpan.FromSeconds(30)), Operation: "PutItem", Times: 1));

        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PutAsync("a", deadline.Token));

        Assert.Contains("id=a", await _table.SnapshotAsync());
    }

    [Fact]
    public async Task A_delay_before_forwarding_holds_the_call_for_its_duration()
    {
        _proxy.Inject(new FaultRule(DynamoDbFault.DelayBefore(TimeSpan.FromMilliseconds(300)), Operation: "GetItem", Times: 1));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await _client.GetItemAsync(_table.Name, Key("x"));

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(300), $"answered after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task A_rule_applies_only_to_its_operation()
    {
        _proxy.Inject(new FaultRule(DynamoDbFault.InternalServerError, Operation: "GetItem"));

        await PutAsync("a");
        await Assert.ThrowsAsync<InternalServerErrorException>(() => _client.GetItemAsync(_table.Name, Key("a")));

        _proxy.ClearFaults();
        await _client.GetItemAsync(_table.Name, Key("a"));
    }

    [Fact]
    public async Task Rules_with_a_probability_draw_the_same_faults_for_the_same_seed()
    {
        async Task<string> DrawAsync(int seed)
        {
            await using FaultyDynamoDbProxy proxy = await FaultyDynamoDbProxy.StartAsync(dynamoDb.Endpoint, seed);
            proxy.Inject(new FaultRule(DynamoDbFault.InternalServerError, Probability: 0.5));
            using AmazonDynamoDBClient client = proxy.SingleAttemptClient();
            for (int i = 0; i < 20; i++)
            {
                try { await client.GetItemAsync(_table.Name, Key("x")); }
                catch (InternalServerErrorException) { }
            }
            return string.Concat(proxy.Calls.Select(c => c.Fault is null ? '.' : 'x'));
        }

        string first = await DrawAsync(7);
        Assert.Equal(first, await DrawAsync(7));
        Assert.Contains('x', first);
        Assert.Contains('.', first);
    }

    private static DynamoDbFault Fault(string name) =>
        (DynamoDbFault)typeof(DynamoDbFault).GetProperty(name)!.GetValue(null)!;

    private static Dictionary<string, AttributeValue> Key(string id) => new() { [ItemsTableSchema.PartitionKey] = new AttributeValue { S = id } };

    private Task PutAsync(string id, CancellationToken cancellationToken = default) =>
        _client.PutItemAsync(new PutItemRequest { TableName = _table.Name, Item = Key(id) }, cancellationToken);
}
