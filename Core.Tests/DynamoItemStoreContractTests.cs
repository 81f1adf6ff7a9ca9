using ItemsApi.Core.Items;

namespace ItemsApi.Core.Tests;

public class DynamoItemStoreContractTests
{
    [Fact]
    public void Every_action_the_iam_policy_grants_is_a_call_the_store_makes_and_vice_versa()
    {
        // The function's IAM policy is written from RequiredActions; this keeps that list honest.
        string source = File.ReadAllText(Path.Combine(RepositoryRoot(), "Core", "Items", "DynamoItemStore.cs"));
        var called = System.Text.RegularExpressions.Regex.Matches(source, @"client\.(\w+)Async\(").Select(m => "dynamodb:" + m.Groups[1].Value).ToHashSet();
        Assert.Equal(called.Order(), DynamoItemStore.RequiredActions.Order());
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Pulumi.yaml"))) return directory.FullName;
        throw new InvalidOperationException("Pulumi.yaml not found");
    }
}
