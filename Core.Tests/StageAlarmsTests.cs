using System.Text.Json;
using System.Text.RegularExpressions;
using ItemsApi.Core.Http;
using ItemsApi.Core.Items;
using ItemsApi.Core.Operations;
using ItemsApi.Core.Settings;

namespace ItemsApi.Core.Tests;

/// <summary>The stage's alarms, dashboard and saved queries, derived from its settings.</summary>
public class StageAlarmsTests
{
    private static StageSettings Monitored(params (string Key, string Value)[] values)
    {
        var config = values.Append(("monitoring", "true")).ToDictionary(v => v.Item1, v => v.Item2);
        return StageSettings.Load(key => config.GetValueOrDefault(key), "dev");
    }

    private static readonly StageNames Names = new()
    {
        Region = "eu-west-1", ApiName = "items-api-dev", StageName = "dev", FunctionName = "items-api-dev-items",
        TableName = "items-3f2a", FunctionLogGroup = "/aws/lambda/items-api-dev-items", AccessLogGroup = "/aws/apigateway/items-api-dev",
    };

    private static StageAlarm Alarm(StageSettings settings, string key) => StageAlarms.For(settings).Single(a => a.Key == key);

    [Fact]
    public void With_a_waf_ceiling_an_alarm_counts_its_blocks_which_no_other_metric_sees()
    {
        Assert.DoesNotContain("waf-blocked", StageAlarms.For(Monitored()).Select(a => a.Key));
        StageAlarm alarm = Alarm(Monitored(("wafRateLimit", "500")), "waf-blocked");
        AlarmMetric metric = Assert.Single(alarm.Metrics);
        Assert.Equal(("AWS/WAFV2", "BlockedRequests", "Sum", 1.0), (metric.Namespace, metric.MetricName, alarm.Statistic, alarm.Threshold));
        // WAF publishes per web ACL, region and rule (its VisibilityConfig metric name).
        StageNames names = Names with { WebAclName = StageNames.WebAclNameFor("items-api-dev"), WebAclRuleMetric = StageNames.WebAclRuleMetricFor("items-api-dev") };
        Assert.Equal([("WebACL", "items-api-dev-ceiling"), ("Region", "eu-west-1"), ("Rule", "items-api-dev-rate-per-ip")], metric.DimensionValues(names));
        Assert.DoesNotContain("waf-blocked", StageAlarms.For(Monitored(("wafRateLimit", "500"), ("alarmWafBlocked", "0"))).Select(a => a.Key));
    }

    [Fact]
    public void Without_monitoring_there_are_no_alarms() =>
        Assert.Empty(StageAlarms.For(StageSettings.Load(_ => null, "dev")));

    [Fact]
    public void The_defaults_alarm_on_everything_but_4xx()
    {
        Assert.Equal(
            ["api-5xx-rate", "api-429-rate", "api-latency-p99", "function-errors", "function-throttles", "function-concurrency", "table-throttles", "table-system-errors"],
            StageAlarms.For(Monitored()).Select(a => a.Key));
        Assert.Contains("api-4xx-rate", StageAlarms.For(Monitored(("alarm4xxPercent", "10"))).Select(a => a.Key));
    }

    [Theory]
    [InlineData("alarm5xxPercent", "0", "api-5xx-rate")]
    [InlineData("alarm429Percent", "0", "api-429-rate")]
    [InlineData("alarmLatencyP99Ms", "0", "api-latency-p99")]
    [InlineData("alarmFunctionErrors", "0", "function-errors")]
    [InlineData("alarmFunctionThrottles", "0", "function-throttles")]
    [InlineData("alarmConcurrencyPercent", "0", "function-concurrency")]
    [InlineData("alarmTableThrottles", "0", "table-throttles")]
    [InlineData("alarmTableSystemErrors", "0", "table-system-errors")]
    public void A_threshold_of_zero_leaves_its_alarm_out(string key, string value, string alarm)
    {
        IReadOnlyList<string> keys = StageAlarms.For(Monitored((key, value))).Select(a => a.Key).ToList();
        Assert.DoesNotContain(alarm, keys);
        Assert.Equal(7, keys.Count);
    }

    [Fact]
    public void Error_rates_alarm_on_the_average_of_the_gateway_s_0_or_1_metric()
    {
        StageAlarm alarm = Alarm(Monitored(("alarm5xxPercent", "2.5")), "api-5xx-rate");
        AlarmMetric metric = Assert.Single(alarm.Metrics);
        Assert.Equal(("AWS/ApiGateway", "5XXError"), (metric.Namespace, metric.MetricName));
        Assert.Equal([("ApiName", "items-api-dev"), ("Stage", "dev")], metric.DimensionValues(Names));
        Assert.Equal("Average", alarm.Statistic);
        Assert.Equal(0.025, alarm.Threshold, 10);
        Assert.Equal("GreaterThanThreshold", alarm.ComparisonOperator);
        Assert.Equal("notBreaching", alarm.TreatMissingData);
        Assert.Null(alarm.Expression);
    }

    [Fact]
    public void Latency_alarms_on_the_p99_in_milliseconds()
    {
        StageAlarm alarm = Alarm(Monitored(("alarmLatencyP99Ms", "1500")), "api-latency-p99");
        Assert.Equal("p99", alarm.Statistic);
        Assert.True(alarm.IsPercentile);
        Assert.Equal(1500, alarm.Threshold);
        Assert.Equal("Latency", alarm.Metrics[0].MetricName);
    }

    [Fact]
    public void Evaluation_comes_from_config()
    {
        StageAlarm alarm = Alarm(Monitored(("alarmPeriodSeconds", "300"), ("alarmEvaluationPeriods", "4"), ("alarmDatapointsToAlarm", "2")), "function-errors");
        Assert.Equal((300, 4, 2), (alarm.PeriodSeconds, alarm.EvaluationPeriods, alarm.DatapointsToAlarm));
        Assert.Equal(("AWS/Lambda", "Errors", "Sum"), (alarm.Metrics[0].Namespace, alarm.Metrics[0].MetricName, alarm.Statistic));
        Assert.Equal([("FunctionName", "items-api-dev-items")], alarm.Metrics[0].DimensionValues(Names));
        Assert.Equal("GreaterThanOrEqualToThreshold", alarm.ComparisonOperator);
    }

    [Theory]
    [InlineData("0", "1000", "80", 800)]     // the account's pool
    [InlineData("50", "1000", "80", 40)]     // the function's own ceiling
    [InlineData("3", "1000", "90", 3)]       // rounded up: 2.7 environments cannot run
    [InlineData("0", "3000", "50", 1500)]
    public void Concurrency_alarms_near_the_function_s_limit(string reserved, string account, string percent, double threshold)
    {
        StageAlarm alarm = Alarm(Monitored(("reservedConcurrency", reserved), ("accountConcurrencyLimit", account), ("alarmConcurrencyPercent", percent)), "function-concurrency");
        Assert.Equal(threshold, alarm.Threshold);
        Assert.Equal(("ConcurrentExecutions", "Maximum"), (alarm.Metrics[0].MetricName, alarm.Statistic));
    }

    [Theory]
    [InlineData("table-throttles", "ThrottledRequests")]
    [InlineData("table-system-errors", "SystemErrors")]
    public void Table_alarms_sum_every_operation_the_function_calls(string key, string metricName)
    {
        StageAlarm alarm = Alarm(Monitored(), key);
        // DynamoDB publishes these per table and operation; the operations are the actions the function may call.
        Assert.Equal(DynamoItemStore.RequiredActions.Select(a => a.Split(':')[1]),
            alarm.Metrics.Select(m => m.DimensionValues(Names).Single(d => d.Name == "Operation").Value));
        Assert.All(alarm.Metrics, m => Assert.Equal(("AWS/DynamoDB", metricName), (m.Namespace, m.MetricName)));
        Assert.All(alarm.Metrics, m => Assert.Contains(("TableName", "items-3f2a"), m.DimensionValues(Names)));
        Assert.Equal(string.Join("+", alarm.Metrics.Select((_, i) => $"FILL(m{i + 1},0)")), alarm.Expression);
    }

    [Fact]
    public void The_429_alarm_is_the_ratio_of_throttled_requests_to_all_requests()
    {
        // CloudWatch Logs reports a metric filter's default value only for periods that ingested lines but matched none,
        // never a 0 per non-matching line. So the filter's Average is 1 in any minute with a single 429; the rate must be
        // throttled (Sum) / requests (API Gateway Count, Sum), with FILL for minutes without a 429.
        StageAlarm alarm = Alarm(Monitored(("alarm429Percent", "5")), "api-429-rate");
        AccessLogMetric throttled = AccessLogMetric.Throttled("dev");
        Assert.Equal(throttled.Metric, alarm.Metrics[0]);
        Assert.Equal(("AWS/ApiGateway", "Count"), (alarm.Metrics[1].Namespace, alarm.Metrics[1].MetricName));
        Assert.Equal([MetricDimension.ApiName, MetricDimension.Stage], alarm.Metrics[1].Dimensions);
        Assert.Equal(2, alarm.Metrics.Count);
        Assert.Equal("Sum", alarm.Statistic);
        Assert.Equal("FILL(m1,0)/m2", alarm.Expression);
        Assert.Equal(0.05, alarm.Threshold, 10);
        Assert.Equal("items-api/dev", throttled.Metric.Namespace);
        Assert.Equal("""{ $.status = "429" }""", throttled.FilterPattern);
        // One retry over quota among 100 requests a minute is 1%: below the 5% threshold (the Average would have read 100%).
        Assert.False(1.0 / 100 > alarm.Threshold);
    }

    [Fact]
    public void The_dashboard_graphs_requests_each_alarm_with_its_threshold_and_errors_by_route()
    {
        StageSettings settings = Monitored(("alarm4xxPercent", "10"));
        IReadOnlyList<StageAlarm> alarms = StageAlarms.For(settings);
        using JsonDocument body = JsonDocument.Parse(StageDashboard.Body(settings, alarms, Names));
        JsonElement[] widgets = body.RootElement.GetProperty("widgets").EnumerateArray().ToArray();

        Assert.Equal(1 + alarms.Count + 1, widgets.Length);
        JsonElement requests = widgets[0].GetProperty("properties");
        Assert.Equal("""["AWS/ApiGateway","Count","ApiName","items-api-dev","Stage","dev",{"id":"m1","stat":"Sum","visible":true}]""",
            requests.GetProperty("metrics")[0].GetRawText());

        for (int i = 0; i < alarms.Count; i++)
        {
            JsonElement properties = widgets[i + 1].GetProperty("properties");
            Assert.Equal(alarms[i].Threshold, properties.GetProperty("annotations").GetProperty("horizontal")[0].GetProperty("value").GetDouble());
            Assert.Equal(alarms[i].Statistic, properties.GetProperty("stat").GetString());
            Assert.Equal("eu-west-1", properties.GetProperty("region").GetString());
            JsonElement[] rows = properties.GetProperty("metrics").EnumerateArray().ToArray();
            Assert.Equal(alarms[i].Metrics.Count + (alarms[i].Expression is null ? 0 : 1), rows.Length);
            Assert.Equal(alarms[i].Metrics[0].MetricName, rows[0][1].GetString());
        }

        JsonElement log = widgets[^1];
        Assert.Equal("log", log.GetProperty("type").GetString());
        Assert.Equal($"SOURCE '/aws/apigateway/items-api-dev' | {SavedQueries.ErrorsByRoute.Query}", log.GetProperty("properties").GetProperty("query").GetString());
    }

    // The exact text: compact, numbers as written (0.025, 60), '+' and quotes in queries unescaped.
    // Each raw string piece starts at a '{', '[' or ',' so it never opens or closes on a quote.
    [Fact]
    public void The_dashboard_body_is_compact_readable_JSON()
    {
        StageSettings settings = Monitored(("alarm5xxPercent", "2.5"));
        IReadOnlyList<StageAlarm> alarms = StageAlarms.For(settings);
        string text = StageDashboard.Body(settings, alarms, Names);
        using JsonDocument body = JsonDocument.Parse(text);
        JsonElement[] widgets = body.RootElement.GetProperty("widgets").EnumerateArray().ToArray();

        Assert.StartsWith("""{"widgets":[{"type":"metric","width":12,"height":6,"properties":{"title":"Requests",""", text);
        Assert.Equal(
            """{"type":"metric","width":12,"height":6,"properties":{"title":"More than 2.5% of requests got a 5XX","region":"eu-west-1","view":"timeSeries","stat":"Average","period":60""" +
            ""","metrics":[["AWS/ApiGateway","5XXError","ApiName","items-api-dev","Stage","dev",{"id":"m1","stat":"Average","visible":true}]]""" +
            ""","annotations":{"horizontal":[{"label":"alarm: api-5xx-rate","value":0.025}]}}}""",
            widgets[1].GetRawText());

        JsonElement[] throttles = widgets[1 + alarms.ToList().FindIndex(a => a.Key == "table-throttles")].GetProperty("properties").GetProperty("metrics").EnumerateArray().ToArray();
        Assert.Equal("""["AWS/DynamoDB","ThrottledRequests","TableName","items-3f2a","Operation","PutItem",{"id":"m1","stat":"Sum","visible":false}]""", throttles[0].GetRawText());
        Assert.Equal("""[{"expression":"FILL(m1,0)+FILL(m2,0)+FILL(m3,0)+FILL(m4,0)+FILL(m5,0)","label":"table-throttles","id":"total"}]""", throttles[^1].GetRawText());

        Assert.Equal(
            $$$"""{"type":"log","width":24,"height":6,"properties":{"title":"Errors by route (access log)","region":"eu-west-1","view":"table","query":"SOURCE '/aws/apigateway/items-api-dev' | {{{SavedQueries.ErrorsByRoute.Query}}}"}}""",
            widgets[^1].GetRawText());
    }

    [Fact]
    public void Without_an_access_log_the_dashboard_has_no_log_widget()
    {
        StageSettings settings = Monitored(("accessLogs", "false"), ("alarm429Percent", "0"));
        string body = StageDashboard.Body(settings, StageAlarms.For(settings), Names with { AccessLogGroup = null });
        Assert.DoesNotContain("\"log\"", body);
    }

    [Fact]
    public void Saved_queries_read_only_fields_the_logs_write()
    {
        string[] accessLogFields = AccessLogFormat.Fields.Select(f => f.Field).ToArray();
        string[] functionLogFields = typeof(FunctionLogFields).GetFields().Select(f => (string)f.GetValue(null)!).ToArray();
        string[] insights = ["fields", "sort", "desc", "limit", "filter", "like", "stats", "count", "as", "by", "requests", "or"];
        // The function log's fields are the runtime's own plus the holes of the function's message templates.
        Assert.All(functionLogFields.Except([FunctionLogFields.Level, FunctionLogFields.ErrorLevel, FunctionLogFields.LambdaRequestId]),
            field => Assert.Contains(field, LogEntry.Names(LogEntry.RequestTemplate).Concat(LogEntry.Names(LogEntry.RequestFailedTemplate))));
        foreach (SavedQuery query in SavedQueries.For(Monitored()))
        {
            string[] known = query.Log == QueryLog.AccessLog ? accessLogFields : functionLogFields;
            // Words outside regular expressions and string literals; @-fields are Logs Insights' own.
            string words = Regex.Replace(query.Query, @"/[^/]*/|""[^""]*""|@\w+", " ");
            foreach (Match word in Regex.Matches(words, "[A-Za-z]+"))
                Assert.True(known.Contains(word.Value) || insights.Contains(word.Value), $"{query.Key}: '{word.Value}' is not a field of the {query.Log}");
        }
    }

    [Fact]
    public void Access_log_queries_are_saved_only_when_the_stage_has_an_access_log()
    {
        Assert.Equal(["slowest-requests", "errors-by-route", "requests-by-api-key", "function-errors"],
            SavedQueries.For(Monitored()).Select(q => q.Key));
        Assert.Equal(["function-errors"], SavedQueries.For(Monitored(("accessLogs", "false"), ("alarm429Percent", "0"))).Select(q => q.Key));
        Assert.Equal("items-api/dev/slowest-requests", SavedQueries.SlowestRequests.Name(ConfigKeys.Project, "dev"));
    }
}
