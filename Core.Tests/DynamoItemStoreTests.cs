using ItemsApi.TestKit.Faults;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using ItemsApi.Core.Runtime;
using ItemsApi.Core.Items;
using Microsoft.Extensions.Time.Testing;

namespace ItemsApi.Core.Tests;

/// <summary>The store contract against a real DynamoDB-compatible server, and the store's IAM actions.</summary>
[Collection(DynamoDbCollection.Name), Trait("Category", DynamoDbCollection.Name)]
public sealed class DynamoItemStoreTests(DynamoDbFixture dynamoDb) : ItemStoreContractTests, IAsyncLifetime
{
    private TestTable _table = null!;

    protected override FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, 123, TimeSpan.Zero));

    protected override IItemStore Store => _store;

    private DynamoItemStore _store = null!;

    public async Task InitializeAsync()
    {
        _table = await dynamoDb.CreateTableAsync();
        _store = new DynamoItemStore(dynamoDb.Client, _table.Name, Clock);
    }

    public async Task DisposeAsync() => await _table.DisposeAsync();

    [Fact]
    public void Every_action_the_iam_policy_grants_is_a_call_the_store_makes_and_vice_versa()
    {
        // The function's IAM policy is written from RequiredActions; this keeps that list honest.
        string source = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Core", "Items", "DynamoItemStore.cs"));
        var called = System.Text.RegularExpressions.Regex.Matches(source, @"client\.(\w+)Async\(").Select(m => "dynamodb:" + m.Groups[1].Value).ToHashSet();
        Assert.Equal(called.Order(), DynamoItemStore.RequiredActions.Order());
    }

    [Fact]
    public async Task Reads_are_strongly_consistent_so_a_read_after_a_write_sees_it()
    {
        // DynamoDB reads are eventually consistent unless ConsistentRead is set: a GET right after a PUT could return the
        // old version, and a list could miss a new item (DynamoDB Developer Guide, "DynamoDB read consistency").
        // The local server is always consistent, so the requests themselves are checked.
        var requests = new List<AmazonWebServiceRequest>();
        using var client = (AmazonDynamoDBClient)ItemsApiFactory.CreateDynamoDbClient(dynamoDb.Endpoint);
        client.BeforeRequestEvent += (_, e) => requests.Add(((WebServiceRequestEventArgs)e).Request);
        var store = new DynamoItemStore(client, _table.Name, Clock);

        StoredItem item = await store.CreateAsync("{}");
        await store.GetAsync(item.Id);
        await store.ListAsync(10, null);

        Assert.True(Assert.Single(requests.OfType<GetItemRequest>()).ConsistentRead);
        Assert.True(Assert.Single(requests.OfType<ScanRequest>()).ConsistentRead);
    }

    [Fact]
    public async Task Ensuring_the_table_again_keeps_it_and_its_items()
    {
        // The local run ensures the table on every start, over a persisted data directory.
        StoredItem item = await Store.CreateAsync("""{"kept":true}""");
        await ItemsTableSchema.EnsureExistsAsync(dynamoDb.Client, _table.Name);
        Assert.Equal(item, await Store.GetAsync(item.Id));
        Assert.Equal(_table.Name, _store.TableName);
    }

    [Fact]
    public async Task The_table_is_keyed_by_the_string_id_and_billed_per_request()
    {
        var description = (await dynamoDb.Client.DescribeTableAsync(_table.Name)).Table;
        Assert.Equal([("id", "HASH")], description.KeySchema.Select(k => (k.AttributeName, k.KeyType.Value)));
        Assert.Equal([("id", "S")], description.AttributeDefinitions.Select(a => (a.AttributeName, a.AttributeType.Value)));
        Assert.Equal("PAY_PER_REQUEST", ItemsTableSchema.CreateTableRequest("t").BillingMode.Value);
    }

    [Fact]
    public async Task A_scan_page_without_an_items_list_lists_no_items()
    {
        // DynamoDB leaves Items out of a page in some answers (Select COUNT), and so may a compatible server;
        // the SDK then leaves the list null rather than empty.
        var page = await new DynamoItemStore(new ScanAnsweringWithoutItems(), "items", Clock).ListAsync(10, null);
        Assert.Empty(page.Items);
        Assert.Null(page.LastId);
    }

    [Fact]
    public async Task When_dynamodb_refuses_a_keyed_creates_item_its_retry_stores_that_item_at_once_instead_of_a_409()
    {
        var key = new IdempotencyKey("refused-once", TimeSpan.FromHours(24));
        using var refusing = new RefusingItemWrites(dynamoDb.Endpoint);
        var failing = new DynamoItemStore(refusing, _table.Name, Clock);

        await Assert.ThrowsAsync<ProvisionedThroughputExceededException>(() => failing.CreateOnceAsync(key, "{}"));
        Assert.Empty((await Store.ListAsync(10, null)).Items);

        KeyClaim retry = await Store.CreateOnceAsync(key, "{}"); // no time has passed: the lease was ended
        Assert.Equal(KeyClaimStatus.Completed, retry.Status);
        Assert.Equal(retry.Item, Assert.Single((await Store.ListAsync(10, null)).Items));
    }

    [Fact]
    public async Task When_marking_a_keyed_create_completed_fails_its_retry_finds_the_item_at_once_instead_of_a_409()
    {
        var key = new IdempotencyKey("completion-failed", TimeSpan.FromHours(24));
        await using FaultyDynamoDbProxy proxy = await FaultyDynamoDbProxy.StartAsync(dynamoDb.Endpoint);
        using IAmazonDynamoDB throughProxy = proxy.SingleAttemptClient();
        // The claim and the item's put pass; the one update that marks the key completed fails.
        proxy.Inject(new FaultRule(DynamoDbFault.InternalServerError, Operation: "UpdateItem", Times: 1));

        await Assert.ThrowsAsync<InternalServerErrorException>(() => new DynamoItemStore(throughProxy, _table.Name, Clock).CreateOnceAsync(key, "{}"));
        StoredItem stored = Assert.Single((await Store.ListAsync(10, null)).Items);

        KeyClaim retry = await Store.CreateOnceAsync(key, "{}"); // no time has passed: the lease was ended
        Assert.Equal(KeyClaimStatus.Completed, retry.Status);
        Assert.Equal(stored, retry.Item);
        Assert.Equal(stored, Assert.Single((await Store.ListAsync(10, null)).Items));
    }

    [Fact]
    public async Task A_keyed_create_whose_claim_the_sdk_sends_twice_holds_its_own_claim_and_creates_the_item_once()
    {
        var key = new IdempotencyKey("claim-sent-twice", TimeSpan.FromHours(24));
        await using FaultyDynamoDbProxy proxy = await FaultyDynamoDbProxy.StartAsync(dynamoDb.Endpoint);
        using IAmazonDynamoDB throughProxy = ItemsApiFactory.CreateDynamoDbClient(proxy.Endpoint);
        // The claim's put lands but its answer is lost: the SDK retries it, and the retry meets the record it wrote.
        proxy.Inject(new FaultRule(DynamoDbFault.DropAfter, Operation: "PutItem", Times: 1));

        KeyClaim created = await new DynamoItemStore(throughProxy, _table.Name, Clock).CreateOnceAsync(key, "{}");

        Assert.Equal(KeyClaimStatus.Completed, created.Status);
        Assert.Equal(created.Item, Assert.Single((await Store.ListAsync(10, null)).Items));
        Assert.Equal(["PutItem", "PutItem", "GetItem", "PutItem", "UpdateItem"], proxy.Calls.Select(c => c.Operation));
    }

    [Fact]
    public async Task A_replace_whose_answer_is_lost_and_that_the_sdk_sends_again_answers_the_version_it_wrote_not_412()
    {
        StoredItem created = await Store.CreateAsync("""{"v":1}""");
        await using FaultyDynamoDbProxy proxy = await FaultyDynamoDbProxy.StartAsync(dynamoDb.Endpoint);
        using IAmazonDynamoDB throughProxy = ItemsApiFactory.CreateDynamoDbClient(proxy.Endpoint);
        proxy.Inject(new FaultRule(DynamoDbFault.DropAfter, Operation: "UpdateItem", Times: 1));

        WriteResult replaced = await new DynamoItemStore(throughProxy, _table.Name, Clock).ReplaceAsync(created.Id, 1, """{"v":2}""");

        Assert.Equal(WriteStatus.Ok, replaced.Status);
        Assert.Equal(2, replaced.Item!.Version);
        Assert.Equal(replaced.Item, await Store.GetAsync(created.Id));
        Assert.Equal(["UpdateItem", "UpdateItem", "GetItem"], proxy.Calls.Select(c => c.Operation));
        // Another write from version 1, even of the same document, is still a 412: it was made at another time.
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(WriteStatus.VersionMismatch, (await Store.ReplaceAsync(created.Id, 1, """{"v":2}""")).Status);
    }

    [Fact]
    public async Task A_keyed_create_that_runs_out_of_time_ends_its_lease_so_the_retry_is_not_held_at_409()
    {
        var key = new IdempotencyKey("ran-out-of-time", TimeSpan.FromHours(24));
        await using FaultyDynamoDbProxy proxy = await FaultyDynamoDbProxy.StartAsync(dynamoDb.Endpoint);
        using IAmazonDynamoDB throughProxy = ItemsApiFactory.CreateDynamoDbClient(proxy.Endpoint);
        var store = new DynamoItemStore(throughProxy, _table.Name, Clock);
        KeyClaim claim = await store.ClaimAsync(key, "{}");
        Assert.Equal(KeyClaimStatus.Claimed, claim.Status);
        // The claim landed; the item's put is slow, and the request's deadline ends it.
        proxy.Inject(new FaultRule(DynamoDbFault.DelayBefore(TimeSpan.FromSeconds(30)), Operation: "PutItem"));

        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.CompleteAsync(claim, deadline.Token));

        KeyClaim retry = await Store.CreateOnceAsync(key, "{}"); // no time has passed: the lease was ended
        Assert.Equal(KeyClaimStatus.Completed, retry.Status);
        Assert.Equal(claim.Item!.Id, retry.Item!.Id);
        Assert.Single((await Store.ListAsync(10, null)).Items);
    }

    /// <summary>A client on the real server that refuses, as throttled, every write of an item (not of a key record).</summary>
    private sealed class RefusingItemWrites(string endpoint) : AmazonDynamoDBClient(
        new BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 })
    {
        public override Task<PutItemResponse> PutItemAsync(PutItemRequest request, CancellationToken cancellationToken = default) =>
            IdempotencyKey.IsRecordId(request.Item[ItemsTableSchema.PartitionKey].S)
                ? base.PutItemAsync(request, cancellationToken)
                : throw new ProvisionedThroughputExceededException("throttled", null, ErrorType.Sender, "ProvisionedThroughputExceededException", "rid", System.Net.HttpStatusCode.BadRequest);
    }

    /// <summary>A client whose every scan answers a page with no Items member (nothing is sent anywhere).</summary>
    private sealed class ScanAnsweringWithoutItems() : AmazonDynamoDBClient(
        new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig { ServiceURL = "http://127.0.0.1:9" })
    {
        public override Task<ScanResponse> ScanAsync(ScanRequest request, CancellationToken cancellationToken = default)
        {
            var response = new ScanResponse { Count = 0, ScannedCount = 0 };
            Assert.Null(response.Items); // as the SDK reads a page that has no Items member
            return Task.FromResult(response);
        }
    }
}
