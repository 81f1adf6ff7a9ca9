namespace ItemsApi.DeployTime.Operations;

/// <summary>A CloudWatch metric of the stage: namespace, name and the dimensions that select this stage's series.</summary>
public sealed record AlarmMetric(string Namespace, string MetricName, IReadOnlyList<MetricDimension> Dimensions)
{
    /// <summary>The dimensions with this stage's values, in order.</summary>
    public IReadOnlyList<(string Name, string Value)> DimensionValues(StageNames names) =>
        Dimensions.Select(d => (d.Name, d.Value(names))).ToList();
}

/// <summary>A dimension name and where its value comes from.</summary>
public sealed record MetricDimension(string Name, Func<StageNames, string> Value)
{
    public static MetricDimension ApiName { get; } = new("ApiName", n => n.ApiName);
    public static MetricDimension Stage { get; } = new("Stage", n => n.StageName);
    public static MetricDimension FunctionName { get; } = new("FunctionName", n => n.FunctionName);
    public static MetricDimension TableName { get; } = new("TableName", n => n.TableName);
    public static MetricDimension Operation(string operation) => new("Operation", _ => operation);
    public static MetricDimension WebAcl { get; } = new("WebACL", n => n.WebAclName ?? "");
    public static MetricDimension Region { get; } = new("Region", n => n.Region);
    public static MetricDimension WebAclRule { get; } = new("Rule", n => n.WebAclRuleMetric ?? "");
}
