using ItemsApi.DeployTime.Gateway;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Settings;
using Pulumi.Aws.Lambda;

namespace ItemsApi.Infra.Components;

/// <summary>What either way of building the REST API needs.</summary>
public sealed class ItemsApiArgs
{
    public required StageSettings Settings { get; init; }
    /// <summary>What the stage does before the function runs: auth, key, validation, CORS (<see cref="GatewayPolicy"/>).</summary>
    public required GatewayPolicy Policy { get; init; }
    /// <summary>The routes to build; the stack passes <see cref="Core.Routes.RouteTable.All"/>.</summary>
    public required IReadOnlyList<Route> Routes { get; init; }
    public required string NamePrefix { get; init; }
    /// <summary>The items function; methods invoke its <see cref="LambdaFunction.InvokeArn"/> (its alias when it has one).</summary>
    public required LambdaFunction ItemsFunction { get; init; }
    public Function? AuthorizerFunction { get; init; }
    /// <summary>The region's API Gateway logging role setting, when this stack declares it (the stage's logs need it first).</summary>
    public Pulumi.Resource? LoggingRole { get; init; }
}
