using ItemsApi.Core.Settings;
using Pulumi;

namespace ItemsApi.Infra.Components;

public sealed class LambdaFunctionArgs
{
    /// <summary>The function name; also fixes its log group, /aws/lambda/&lt;name&gt;.</summary>
    public required string FunctionName { get; init; }
    public required string Handler { get; init; }
    public required Archive Code { get; init; }
    public required StageSettings Settings { get; init; }
    public InputMap<string> Environment { get; init; } = new();

    /// <summary>Permissions beyond writing its own logs, e.g. the table's item actions.</summary>
    public Func<Output<string>, Output<string>>? Policy { get; init; }
}
