using System.Text.Json;
using System.Text.RegularExpressions;
using ItemsApi.Core.Http;
using ItemsApi.Core.Items;
using ItemsApi.DeployTime.Operations;
using ItemsApi.DeployTime.Settings;
using ItemsApi.DeployTime.Gateway;

namespace ItemsApi.DeployTime.Tests;

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
        Assert.Equal("Sum", alarm.Statistic); // a count of throttled or failed requests, whichever operation they were
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
        Assert.NotEmpty(functionLogFields); // constants, read by reflection: an empty list would check nothing
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

    [Theory]
    [InlineData("api-5xx-rate", "More than 1% of requests got a 5XX. Check the function's errors and the access log's integrationStatus and errorMessage.")]
    [InlineData("api-4xx-rate", "More than 10% of requests got a 4XX: a client sends bad requests or a wrong key (access log: errors by route).")]
    [InlineData("api-429-rate", "More than 5% of requests were throttled (429): a key is over its usage plan or quota, or the stage throttle is reached.")]
    [InlineData("api-latency-p99", "The slowest 1% of requests took more than 3000 ms at the gateway. Compare responseLatency and integrationLatency in the access log.")]
    [InlineData("function-errors", "The items function failed (unhandled error or timeout) at least 1 time(s) in a period. See its log group.")]
    [InlineData("function-throttles", "Lambda throttled the items function at least 1 time(s) in a period: its concurrency limit (reservedConcurrency, or the account's) is reached, and API Gateway answered those requests 500.")]
    [InlineData("function-concurrency", "The items function ran 800 or more environments at once, 80% of its limit of 1000. Near the limit, requests get throttled.")]
    [InlineData("table-throttles", "DynamoDB throttled at least 1 of the table's requests in a period (capacity or a hot key).")]
    [InlineData("table-system-errors", "DynamoDB answered at least 1 of the table's requests with a 500 in a period. Check the AWS Health Dashboard.")]
    [InlineData("waf-blocked", "The WAF ceiling blocked at least 1 request(s) in a period: a client IP went over 500 requests per 300 s.")]
    public void Each_alarm_tells_the_reader_what_breached_and_where_to_look(string key, string description) =>
        Assert.Equal(description, Alarm(Monitored(("alarm4xxPercent", "10"), ("wafRateLimit", "500")), key).Description);

    [Fact]
    public void Throttle_and_count_alarms_fire_at_their_threshold_and_rates_above_it()
    {
        IReadOnlyList<StageAlarm> alarms = StageAlarms.For(Monitored(("alarm4xxPercent", "10"), ("wafRateLimit", "500")));
        Assert.All(alarms, alarm => Assert.Equal(alarm.Key.StartsWith("api-") ? "GreaterThanThreshold" : "GreaterThanOrEqualToThreshold", alarm.ComparisonOperator));
        StageAlarm clientErrors = alarms.Single(a => a.Key == "api-4xx-rate");
        Assert.Equal(0.1, clientErrors.Threshold, 10);
        Assert.Equal(("AWS/ApiGateway", "4XXError", "Average"), (clientErrors.Metrics[0].Namespace, clientErrors.Metrics[0].MetricName, clientErrors.Statistic));
        StageAlarm throttles = alarms.Single(a => a.Key == "function-throttles");
        Assert.Equal(("AWS/Lambda", "Throttles", "Sum", 1.0), (throttles.Metrics[0].Namespace, throttles.Metrics[0].MetricName, throttles.Statistic, throttles.Threshold));
        Assert.Equal([("FunctionName", "items-api-dev-items")], throttles.Metrics[0].DimensionValues(Names));
        Assert.Equal(["TableName", "Operation"], alarms.Single(a => a.Key == "table-system-errors").Metrics[0].Dimensions.Select(d => d.Name));
        Assert.All(alarms.Where(a => a.Key.StartsWith("table-")), a => Assert.Equal(1.0, a.Threshold));
    }

    [Fact]
    public void Without_a_waf_ceiling_its_dimensions_are_empty_and_the_429_metric_is_counted_per_stack()
    {
        Assert.Equal([("WebACL", ""), ("Region", "eu-west-1"), ("Rule", "")],
            new AlarmMetric("AWS/WAFV2", "BlockedRequests", [MetricDimension.WebAcl, MetricDimension.Region, MetricDimension.WebAclRule]).DimensionValues(Names));
        AccessLogMetric throttled = AccessLogMetric.Throttled("dev--alice");
        Assert.Equal("throttled-requests", throttled.FilterName);
        Assert.Equal(("items-api/dev--alice", "ThrottledRequests"), (throttled.Metric.Namespace, throttled.Metric.MetricName));
        Assert.Empty(throttled.Metric.Dimensions);
        // A stack not named as its stage counts its 429s apart from another stack's with the same stage name.
        Assert.Equal("items-api/dev--alice", Alarm(StageSettings.Load(key => key switch { "monitoring" => "true", "stageName" => "dev", _ => null }, "alice"), "api-429-rate").Metrics[0].Namespace);
    }

    [Fact]
    public void Saved_queries_are_the_exact_logs_insights_text_under_the_stages_folder()
    {
        Assert.Equal("fields @timestamp, httpMethod, resourcePath, status, responseLatency, integrationLatency, requestId | sort responseLatency desc | limit 50",
            SavedQueries.SlowestRequests.Query);
        Assert.Equal("filter status like /^[45]/ | stats count(*) as requests by httpMethod, resourcePath, status, errorMessage | sort requests desc | limit 50",
            SavedQueries.ErrorsByRoute.Query);
        Assert.Equal("stats count(*) as requests by apiKeyId | sort requests desc | limit 50", SavedQueries.RequestsByApiKey.Query);
        Assert.Equal("filter level = \"Error\" or status >= 500 | fields @timestamp, requestId, apiGatewayRequestId, method, resource, path, status, error, detail | sort @timestamp desc | limit 100",
            SavedQueries.FunctionErrors.Query);
        Assert.Equal(["Slowest requests", "Errors by route", "Requests by API key", "Function errors"],
            new[] { SavedQueries.SlowestRequests, SavedQueries.ErrorsByRoute, SavedQueries.RequestsByApiKey, SavedQueries.FunctionErrors }.Select(q => q.Title));
        Assert.Equal([QueryLog.AccessLog, QueryLog.AccessLog, QueryLog.AccessLog, QueryLog.FunctionLog],
            new[] { SavedQueries.SlowestRequests, SavedQueries.ErrorsByRoute, SavedQueries.RequestsByApiKey, SavedQueries.FunctionErrors }.Select(q => q.Log));
        Assert.Equal(["function-errors"], SavedQueries.For(Monitored(("apiImplementation", "component"), ("alarm429Percent", "0"))).Select(q => q.Key));
    }

    [Fact]
    public void The_dashboard_is_linked_in_the_console_of_its_region()
    {
        Assert.Equal("https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=items-api-dev",
            StageDashboard.Url("eu-west-1", "items-api-dev"));
    }

    [Fact]
    public void A_widget_title_is_the_alarms_first_sentence_and_a_math_alarm_graphs_its_expression_over_hidden_metrics()
    {
        StageSettings settings = Monitored();
        IReadOnlyList<StageAlarm> alarms = StageAlarms.For(settings);
        using JsonDocument body = JsonDocument.Parse(StageDashboard.Body(settings, alarms, Names));
        JsonElement[] widgets = body.RootElement.GetProperty("widgets").EnumerateArray().ToArray();
        JsonElement Widget(string key) => widgets[1 + alarms.ToList().FindIndex(a => a.Key == key)].GetProperty("properties");

        Assert.Equal("The items function failed (unhandled error or timeout) at least 1 time(s) in a period", Widget("function-errors").GetProperty("title").GetString());
        Assert.Equal("DynamoDB throttled at least 1 of the table's requests in a period (capacity or a hot key)", Widget("table-throttles").GetProperty("title").GetString());
        Assert.Equal("More than 5% of requests were throttled (429): a key is over its usage plan or quota, or the stage throttle is reached",
            Widget("api-429-rate").GetProperty("title").GetString());

        JsonElement[] rows = Widget("api-429-rate").GetProperty("metrics").EnumerateArray().ToArray();
        Assert.Equal("""["items-api/dev","ThrottledRequests",{"id":"m1","stat":"Sum","visible":false}]""", rows[0].GetRawText());
        Assert.Equal("""["AWS/ApiGateway","Count","ApiName","items-api-dev","Stage","dev",{"id":"m2","stat":"Sum","visible":false}]""", rows[1].GetRawText());
        Assert.Equal("""[{"expression":"FILL(m1,0)/m2","label":"api-429-rate","id":"total"}]""", rows[2].GetRawText());
        Assert.Equal("""{"horizontal":[{"label":"alarm: api-429-rate","value":0.05}]}""", Widget("api-429-rate").GetProperty("annotations").GetRawText());
        Assert.False(widgets[0].GetProperty("properties").TryGetProperty("annotations", out _)); // requests: no threshold
        Assert.Equal("timeSeries", widgets[0].GetProperty("properties").GetProperty("view").GetString());
    }
}
