using ItemsApi.Core.Items;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.LocalGateway;

/// <summary>How to run the local stage.</summary>
public sealed record LocalGatewayOptions
{
    public required StageSettings Stage { get; init; }

    /// <summary>The only API key the gateway accepts (x-api-key).</summary>
    public required string ApiKey { get; init; }

    /// <summary>The routes the stage has; the API's own unless a test gives others (a throwaway row, say).</summary>
    public IReadOnlyList<Core.Routes.Route> Routes { get; init; } = RouteTable.All;

    /// <summary>A bearer token the authorizer accepts, in addition to the stage's configured hashes.</summary>
    public string? BearerToken { get; init; }

    /// <summary>Port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; } = 3000;

    /// <summary>Keep dynalite's data here across restarts; null keeps it in memory.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Use this DynamoDB-compatible server instead of starting dynalite.</summary>
    public string? DynamoDbEndpoint { get; init; }

    /// <summary>
    /// Answer from this store and start no DynamoDB server at all (DataDirectory and DynamoDbEndpoint are then
    /// ignored): for tests of the HTTP contract that do not need Node.js, e.g. with an <c>InMemoryItemStore</c>.
    /// </summary>
    public IItemStore? Store { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Where access-log lines go (one JSON line per request).</summary>
    public TextWriter AccessLog { get; init; } = Console.Out;

    /// <summary>Where unexpected errors go.</summary>
    public TextWriter ErrorLog { get; init; } = Console.Error;

    public string TableName => $"items-{Stage.StageName}";
}
