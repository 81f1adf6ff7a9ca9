using ItemsApi.Core.Settings;
using Pulumi.Aws.Lambda;

namespace ItemsApi.Infra.Components;

/// <summary>What either way of building the REST API needs.</summary>
public sealed class ItemsApiArgs
{
    public required StageSettings Settings { get; init; }
    public required ApiDefinition Api { get; init; }
    public required string NamePrefix { get; init; }
    public required Function ItemsFunction { get; init; }
    public Function? AuthorizerFunction { get; init; }
    /// <summary>The region's API Gateway logging role setting, when this stack declares it (the stage's logs need it first).</summary>
    public Pulumi.Resource? LoggingRole { get; init; }
}
