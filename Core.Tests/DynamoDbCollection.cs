namespace ItemsApi.Core.Tests;

/// <summary>
/// The tests that need the DynamoDB-compatible server (and so Node.js for dynalite) share it, and carry the
/// trait Category=DynamoDB: <c>dotnet test Core.Tests --filter Category!=DynamoDB</c> runs the rest without Node.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DynamoDbCollection : ICollectionFixture<DynamoDbFixture>
{
    public const string Name = "DynamoDB";
}
