using ItemsApi.DeployTime.Settings;
using F = ItemsApi.DeployTime.Operations.FunctionLogFields;
using Log = ItemsApi.DeployTime.Gateway.AccessLogFormat;
using ItemsApi.DeployTime.Gateway;

namespace ItemsApi.DeployTime.Operations;

/// <summary>
/// The Logs Insights queries every stage saves. Field names come from <see cref="AccessLogFormat"/> and
/// <see cref="FunctionLogFields"/>, so a renamed log field cannot leave a query reading nothing.
/// The access log writes statuses as strings, so they are matched with regular expressions there (the function
/// log keeps numbers); sort orders digit-only strings as numbers.
/// </summary>
public static class SavedQueries
{
    public static SavedQuery SlowestRequests { get; } = new("slowest-requests", "Slowest requests", QueryLog.AccessLog,
        $"fields @timestamp, {Log.HttpMethod}, {Log.ResourcePath}, {Log.Status}, {Log.ResponseLatency}, {Log.IntegrationLatency}, {Log.RequestId}" +
        $" | sort {Log.ResponseLatency} desc | limit 50");

    public static SavedQuery ErrorsByRoute { get; } = new("errors-by-route", "Errors by route", QueryLog.AccessLog,
        $"filter {Log.Status} like /^[45]/" +
        $" | stats count(*) as requests by {Log.HttpMethod}, {Log.ResourcePath}, {Log.Status}, {Log.ErrorMessage}" +
        " | sort requests desc | limit 50");

    public static SavedQuery RequestsByApiKey { get; } = new("requests-by-api-key", "Requests by API key", QueryLog.AccessLog,
        $"stats count(*) as requests by {Log.ApiKeyId}" +
        " | sort requests desc | limit 50");

    public static SavedQuery FunctionErrors { get; } = new("function-errors", "Function errors", QueryLog.FunctionLog,
        $"filter {F.Level} = \"{F.ErrorLevel}\" or {F.Status} >= 500" +
        $" | fields @timestamp, {F.LambdaRequestId}, {F.ApiGatewayRequestId}, {F.Method}, {F.Resource}, {F.Path}, {F.Status}, {F.Error}, {F.Detail}" +
        " | sort @timestamp desc | limit 100");

    /// <summary>The queries a stage saves: those over the access log only when it has one.</summary>
    public static IReadOnlyList<SavedQuery> For(StageSettings settings) =>
        new[] { SlowestRequests, ErrorsByRoute, RequestsByApiKey, FunctionErrors }
            .Where(query => query.Log == QueryLog.FunctionLog || settings.HasAccessLog)
            .ToList();
}
