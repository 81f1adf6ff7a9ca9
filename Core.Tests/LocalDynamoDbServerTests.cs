using ItemsApi.LocalDynamoDb;

namespace ItemsApi.Core.Tests;

/// <summary>The local DynamoDB server LocalDynamoDb starts (tools/dynalite/server.js) never outlives what started it.</summary>
[Collection(DynamoDbCollection.Name), Trait("Category", DynamoDbCollection.Name)]
public sealed class LocalDynamoDbServerTests(DynamoDbFixture dynamoDb)
{
    [RequiresFact(typeof(GuardedDynalite))] // skipped where the tests start no dynalite
    public async Task The_server_stops_when_the_pipe_to_its_input_closes_as_it_does_when_its_starter_ends()
    {
        // LocalDynamoDbServer holds this pipe open and never writes to it. When the process that started the server
        // ends without disposing it (a test host killed on a timeout or by Stryker, Ctrl+C), the pipe closes like this.
        _ = dynamoDb.Endpoint; // the fixture has installed dynalite and started its own
        string tools = LocalDynamoDbServer.ToolDirectory();
        await using RunningProcess server = ProcessRun.Start("node", [Path.Combine(tools, "server.js")], tools, redirectInput: true);
        Assert.StartsWith("dynalite listening on http://127.0.0.1:", await server.ReadLineAsync());
        server.StandardInput.Close();
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(20)));
    }
}
