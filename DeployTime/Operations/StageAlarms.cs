using ItemsApi.Core.Items;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Operations;

/// <summary>
/// The alarms a stage gets with <c>monitoring: true</c>, from its settings. The stack declares one CloudWatch
/// alarm per entry; the dashboard graphs the same metrics with the same thresholds. A threshold of 0 leaves
/// its alarm out. The README explains each default.
/// </summary>
public static class StageAlarms
{
    private const string ApiGateway = "AWS/ApiGateway";
    private const string Lambda = "AWS/Lambda";
    private const string DynamoDb = "AWS/DynamoDB";
    private const string Above = "GreaterThanThreshold";
    private const string AtLeast = "GreaterThanOrEqualToThreshold";

    public static IReadOnlyList<StageAlarm> For(StageSettings settings)
    {
        if (!settings.Monitoring) return [];
        AlarmThresholds t = settings.Alarms;
        var alarms = new List<StageAlarm>();

        void Add(bool on, string key, string description, IReadOnlyList<AlarmMetric> metrics, string statistic, double threshold, string comparison,
            string? expression = null)
        {
            if (!on) return;
            alarms.Add(new StageAlarm
            {
                Key = key, Description = description, Metrics = metrics, Statistic = statistic, Threshold = threshold,
                ComparisonOperator = comparison, PeriodSeconds = t.PeriodSeconds, EvaluationPeriods = t.EvaluationPeriods,
                DatapointsToAlarm = t.DatapointsToAlarm, Expression = expression,
            });
        }

        MetricDimension[] stage = [MetricDimension.ApiName, MetricDimension.Stage];
        MetricDimension[] function = [MetricDimension.FunctionName];

        // API Gateway's 5XXError and 4XXError are 1 or 0 per request, so their Average is the error rate.
        Add(t.Api5xxPercent > 0, "api-5xx-rate",
            $"More than {t.Api5xxPercent}% of requests got a 5XX. Check the function's errors and the access log's integrationStatus and errorMessage.",
            [new AlarmMetric(ApiGateway, "5XXError", stage)], "Average", t.Api5xxPercent / 100, Above);
        Add(t.Api4xxPercent > 0, "api-4xx-rate",
            $"More than {t.Api4xxPercent}% of requests got a 4XX: a client sends bad requests or a wrong key (access log: errors by route).",
            [new AlarmMetric(ApiGateway, "4XXError", stage)], "Average", t.Api4xxPercent / 100, Above);
        // A real ratio: throttled requests (counted from the access log) over all requests (API Gateway's Count). Not the
        // filter's Average: a metric filter reports its default value only for periods with log lines but no match, not
        // a 0 per non-matching line (CloudWatch Logs: "Creating metrics from log events using a filter", default value),
        // so that Average is 1 in any minute with one 429. A period with no requests has no ratio: not a breach.
        Add(t.Throttled429Percent > 0 && settings.HasAccessLog, "api-429-rate",
            $"More than {t.Throttled429Percent}% of requests were throttled (429): a key is over its usage plan or quota, or the stage throttle is reached.",
            [AccessLogMetric.Throttled(settings.MonitoringScope).Metric, new AlarmMetric(ApiGateway, "Count", stage)], "Sum", t.Throttled429Percent / 100, Above,
            expression: $"FILL({StageAlarm.MetricId(0)},0)/{StageAlarm.MetricId(1)}");
        Add(t.LatencyP99Ms > 0, "api-latency-p99",
            $"The slowest 1% of requests took more than {t.LatencyP99Ms} ms at the gateway. Compare responseLatency and integrationLatency in the access log.",
            [new AlarmMetric(ApiGateway, "Latency", stage)], "p99", t.LatencyP99Ms, Above);

        Add(t.FunctionErrors > 0, "function-errors",
            $"The items function failed (unhandled error or timeout) at least {t.FunctionErrors} time(s) in a period. See its log group.",
            [new AlarmMetric(Lambda, "Errors", function)], "Sum", t.FunctionErrors, AtLeast);
        Add(t.FunctionThrottles > 0, "function-throttles",
            $"Lambda throttled the items function at least {t.FunctionThrottles} time(s) in a period: its concurrency limit (reservedConcurrency, or the account's) is reached, and API Gateway answered those requests 500.",
            [new AlarmMetric(Lambda, "Throttles", function)], "Sum", t.FunctionThrottles, AtLeast);
        int concurrencyThreshold = (int)Math.Ceiling(settings.ConcurrencyLimit * t.ConcurrencyPercent / 100.0);
        Add(t.ConcurrencyPercent > 0, "function-concurrency",
            $"The items function ran {concurrencyThreshold} or more environments at once, {t.ConcurrencyPercent}% of its limit of {settings.ConcurrencyLimit}. Near the limit, requests get throttled.",
            [new AlarmMetric(Lambda, "ConcurrentExecutions", function)], "Maximum", concurrencyThreshold, AtLeast);

        // DynamoDB publishes these per table and operation: sum the operations the function calls.
        IReadOnlyList<AlarmMetric> PerOperation(string metricName) => TableOperations
            .Select(operation => new AlarmMetric(DynamoDb, metricName, [MetricDimension.TableName, MetricDimension.Operation(operation)]))
            .ToList();
        Add(t.TableThrottles > 0, "table-throttles",
            $"DynamoDB throttled at least {t.TableThrottles} of the table's requests in a period (capacity or a hot key).",
            PerOperation("ThrottledRequests"), "Sum", t.TableThrottles, AtLeast);
        Add(t.TableSystemErrors > 0, "table-system-errors",
            $"DynamoDB answered at least {t.TableSystemErrors} of the table's requests with a 500 in a period. Check the AWS Health Dashboard.",
            PerOperation("SystemErrors"), "Sum", t.TableSystemErrors, AtLeast);

        // WAF answers a blocked client itself: neither API Gateway's metrics nor the access log see it.
        Add(t.WafBlocked > 0 && settings.WafRateLimit > 0, "waf-blocked",
            $"The WAF ceiling blocked at least {t.WafBlocked} request(s) in a period: a client IP went over {settings.WafRateLimit} requests per {settings.WafRateWindowSeconds} s.",
            [new AlarmMetric("AWS/WAFV2", "BlockedRequests", [MetricDimension.WebAcl, MetricDimension.Region, MetricDimension.WebAclRule])], "Sum", t.WafBlocked, AtLeast);

        return alarms;
    }

    /// <summary>The DynamoDB operations the items function calls: the actions its role is granted.</summary>
    public static IReadOnlyList<string> TableOperations { get; } =
        DynamoItemStore.RequiredActions.Select(action => action["dynamodb:".Length..]).ToList();
}
