using ItemsApi.DeployTime.Aws;
using ItemsApi.DeployTime.Settings;
using Pulumi;

namespace ItemsApi.Infra.Components;

/// <summary>What a <see cref="LambdaFunction"/> runs and with which settings.</summary>
public sealed class LambdaFunctionArgs
{
    /// <summary>The function name; also fixes its log group, /aws/lambda/&lt;name&gt;.</summary>
    public required string FunctionName { get; init; }
    public required string Handler { get; init; }
    public required Archive Code { get; init; }
    public required StageSettings Settings { get; init; }
    public InputMap<string> Environment { get; init; } = new();

    /// <summary>
    /// Serve through a published version and the alias <see cref="LambdaFunction.AliasName"/>, with the stage's
    /// SnapStart and provisioned concurrency (the items function; the authorizer is called directly).
    /// </summary>
    public bool ServeThroughAlias { get; init; }

    /// <summary>Memory in MB; null: the stage's lambdaMemoryMb (the items function).</summary>
    public int? MemoryMb { get; init; }

    /// <summary>The most environments that may run at once (Lambda reserved concurrency); 0: no ceiling.</summary>
    public int ReservedConcurrency { get; init; }

    /// <summary>
    /// The program's AWS calls in a region, as the provider's identity: to delete old published versions after `pulumi up`
    /// moves the alias, or all of them once there is no alias (see
    /// <see cref="ItemsApi.DeployTime.VersionRetention.PublishedVersionRetention"/>). Null: versions are left alone.
    /// </summary>
    public Func<string, AwsApis>? Aws { get; init; }

    /// <summary>Permissions beyond writing its own logs, e.g. the table's item actions.</summary>
    public Func<Output<string>, Output<string>>? Policy { get; init; }
}
