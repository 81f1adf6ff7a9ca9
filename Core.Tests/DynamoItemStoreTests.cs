using ItemsApi.Core.Items;
using ItemsApi.Core.Settings;

namespace ItemsApi.Core.Tests;

/// <summary>The store contract against a real DynamoDB-compatible server, and the store's IAM actions.</summary>
[Collection(DynamoDbCollection.Name), Trait("Category", DynamoDbCollection.Name)]
public sealed class DynamoItemStoreTests(DynamoDbFixture dynamoDb) : ItemStoreContractTests, IAsyncLifetime
{
    private TestTable _table = null!;

    protected override IItemStore Store => _table.Store;

    public async Task InitializeAsync() => _table = await dynamoDb.CreateTableAsync();

    public async Task DisposeAsync() => await _table.DisposeAsync();

    [Fact]
    public void Every_action_the_iam_policy_grants_is_a_call_the_store_makes_and_vice_versa()
    {
        // The function's IAM policy is written from RequiredActions; this keeps that list honest.
        string source = File.ReadAllText(Path.Combine(ProjectFiles.FindRoot(), "Core", "Items", "DynamoItemStore.cs"));
        var called = System.Text.RegularExpressions.Regex.Matches(source, @"client\.(\w+)Async\(").Select(m => "dynamodb:" + m.Groups[1].Value).ToHashSet();
        Assert.Equal(called.Order(), DynamoItemStore.RequiredActions.Order());
    }
}
