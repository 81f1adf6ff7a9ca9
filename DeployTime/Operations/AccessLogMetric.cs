using ItemsApi.DeployTime.Gateway;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Operations;

/// <summary>
/// A metric counted from the access log by a metric filter: 1 for each line that matches <see cref="FilterPattern"/>,
/// so its Sum counts them. (Its default value, 0, is reported only for a period whose lines all failed to match, not
/// per line: the Average is not a share of requests. StageAlarms divides the Sum by API Gateway's Count.)
/// </summary>
public sealed record AccessLogMetric(string FilterName, string FilterPattern, AlarmMetric Metric)
{
    /// <summary>
    /// Throttled requests (429): the usage plan's throttle and quota, and the stage's method throttle.
    /// API Gateway publishes no 429 metric of its own. The status is logged as a string, hence the quotes.
    /// </summary>
    /// <param name="monitoringScope">The stage's <see cref="StageSettings.MonitoringScope"/>.</param>
    public static AccessLogMetric Throttled(string monitoringScope) => new(
        "throttled-requests",
        $"{{ $.{AccessLogFormat.Status} = \"429\" }}",
        // Metric filters with a default value take no dimensions, so the namespace carries the stage (and stack).
        new AlarmMetric($"{ConfigKeys.Project}/{monitoringScope}", "ThrottledRequests", []));
}
