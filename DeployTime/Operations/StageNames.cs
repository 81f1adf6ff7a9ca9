namespace ItemsApi.DeployTime.Operations;

/// <summary>
/// The deployed names alarms, the dashboard and saved queries point at. The stack fills them from its
/// resources' outputs; tests fill them by hand.
/// </summary>
public sealed record StageNames
{
    public required string Region { get; init; }
    /// <summary>The REST API's name: API Gateway's metrics are keyed by it (dimension ApiName), not by its id.</summary>
    public required string ApiName { get; init; }
    public required string StageName { get; init; }
    public required string FunctionName { get; init; }
    public required string TableName { get; init; }
    public required string FunctionLogGroup { get; init; }
    /// <summary>Null when the stage writes no access log.</summary>
    public required string? AccessLogGroup { get; init; }
    /// <summary>The WAF ceiling's web ACL and its rule's metric name; null without wafRateLimit.</summary>
    public string? WebAclName { get; init; }
    public string? WebAclRuleMetric { get; init; }

    /// <summary>The WAF ceiling's web ACL name for a stage's name prefix (items-api-dev).</summary>
    public static string WebAclNameFor(string namePrefix) => $"{namePrefix}-ceiling";

    /// <summary>The metric name of the ceiling's rate rule, which WAF's BlockedRequests metric is keyed by (dimension Rule).</summary>
    public static string WebAclRuleMetricFor(string namePrefix) => $"{namePrefix}-rate-per-ip";
}
