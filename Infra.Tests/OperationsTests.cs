using System.Collections.Immutable;
using System.Text.Json;
using ItemsApi.DeployTime.Operations;
using ItemsApi.DeployTime.Settings;
using Pulumi.Testing;
using static ItemsApi.Infra.Tests.StackRun;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.Infra.Tests;

/// <summary>Operating a stage: alarms, their topic, the dashboard, saved queries, the hard ceiling and key rotation.</summary>
public class OperationsTests
{
    private static readonly Dictionary<string, string> Monitored = new() { ["monitoring"] = "true" };

    private static Task<StackRun> RunStackFileAsync(string stack) =>
        RunAsync(StackFile.Load(ProjectFiles.FindRoot(), stack).Values.ToDictionary(), stack);

    private static MockResourceArgs AlarmNamed(StackRun run, string key) =>
        Assert.Single(run.OfType<CloudWatch.MetricAlarm>(), a => Text(a, "name") == $"items-api-dev-{key}");

    private static double Number(MockResourceArgs resource, string input) => Convert.ToDouble(Value(resource, input));

    [Fact]
    public async Task Prod_turns_monitoring_on_and_dev_leaves_it_off()
    {
        StackRun dev = await RunStackFileAsync("dev");
        Assert.Empty(dev.OfType<CloudWatch.MetricAlarm>());
        Assert.Empty(dev.OfType<Sns.Topic>());
        Assert.Empty(dev.OfType<CloudWatch.Dashboard>());
        Assert.False(dev.Outputs.ContainsKey("dashboardUrl"));

        StackRun prod = await RunStackFileAsync("prod");
        Assert.Equal(8, prod.OfType<CloudWatch.MetricAlarm>().Count);
        Assert.Equal("items-api-prod-alarms", Text(prod.Single<Sns.Topic>(), "name"));
        Assert.Equal("items-api-prod", Text(prod.Single<CloudWatch.Dashboard>(), "dashboardName"));
        Assert.Equal("https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=items-api-prod",
            await prod.OutputAsync<string>("dashboardUrl"));
    }

    [Fact]
    public async Task The_5xx_alarm_watches_the_stage_s_error_rate_and_notifies_the_topic()
    {
        StackRun run = await RunAsync(new Dictionary<string, string>(Monitored) { ["alarm5xxPercent"] = "2" });
        MockResourceArgs alarm = AlarmNamed(run, "api-5xx-rate");
        string topicArn = $"arn:aws:sns:{AwsMocks.Region}:{AwsMocks.Account}:items-api-dev-alarms";

        Assert.Equal("AWS/ApiGateway", Text(alarm, "namespace"));
        Assert.Equal("5XXError", Text(alarm, "metricName"));
        Assert.Equal(new Dictionary<string, object> { ["ApiName"] = "items-api-dev", ["Stage"] = "dev" }, Map(alarm, "dimensions"));
        Assert.Equal("Average", Text(alarm, "statistic"));
        Assert.Equal(0.02, Number(alarm, "threshold"), 10);
        Assert.Equal("GreaterThanThreshold", Text(alarm, "comparisonOperator"));
        Assert.Equal((60, 5, 3), ((int)Number(alarm, "period"), (int)Number(alarm, "evaluationPeriods"), (int)Number(alarm, "datapointsToAlarm")));
        Assert.Equal("notBreaching", Text(alarm, "treatMissingData"));
        Assert.Equal([topicArn], Strings(alarm, "alarmActions"));
        Assert.Equal([topicArn], Strings(alarm, "okActions"));
    }

    [Fact]
    public async Task Every_alarm_is_declared_as_defined_and_notifies_the_topic()
    {
        var config = new Dictionary<string, string>(Monitored) { ["alarm4xxPercent"] = "5" };
        StackRun run = await RunAsync(config);
        StageSettings settings = StageSettings.Load(key => config.GetValueOrDefault(key), "dev");
        string topicArn = $"arn:aws:sns:{AwsMocks.Region}:{AwsMocks.Account}:{Text(run.Single<Sns.Topic>(), "name")}";
        string tableName = await run.OutputAsync<string>("tableName");
        var names = new StageNames
        {
            Region = AwsMocks.Region, ApiName = "items-api-dev", StageName = "dev", FunctionName = "items-api-dev-items", TableName = tableName,
            FunctionLogGroup = "/aws/lambda/items-api-dev-items", AccessLogGroup = await run.OutputAsync<string>("accessLogGroupName"),
        };

        IReadOnlyList<StageAlarm> defined = StageAlarms.For(settings);
        Assert.Equal(defined.Count, run.OfType<CloudWatch.MetricAlarm>().Count);
        foreach (StageAlarm expected in defined)
        {
            MockResourceArgs alarm = AlarmNamed(run, expected.Key);
            Assert.Equal(expected.Description, Text(alarm, "alarmDescription"));
            Assert.Equal(expected.Threshold, Number(alarm, "threshold"), 10);
            Assert.Equal(expected.ComparisonOperator, Text(alarm, "comparisonOperator"));
            Assert.Equal((expected.EvaluationPeriods, expected.DatapointsToAlarm), ((int)Number(alarm, "evaluationPeriods"), (int)Number(alarm, "datapointsToAlarm")));
            Assert.Equal("notBreaching", Text(alarm, "treatMissingData"));
            Assert.Equal([topicArn], Strings(alarm, "alarmActions"));
            Assert.Equal([topicArn], Strings(alarm, "okActions"));
            if (expected.Expression is not null) continue; // metric math: see the table alarms' test
            AlarmMetric metric = Assert.Single(expected.Metrics);
            Assert.Equal((metric.Namespace, metric.MetricName), (Text(alarm, "namespace"), Text(alarm, "metricName")));
            Assert.Equal(expected.Statistic, Text(alarm, expected.IsPercentile ? "extendedStatistic" : "statistic"));
            Assert.Equal(metric.DimensionValues(names).ToDictionary(d => d.Name, d => (object)d.Value),
                alarm.Inputs.TryGetValue("dimensions", out object? dimensions) ? (ImmutableDictionary<string, object>)dimensions : ImmutableDictionary<string, object>.Empty);
        }
    }

    [Fact]
    public async Task Function_alarms_use_the_function_s_name_and_latency_uses_the_p99()
    {
        StackRun run = await RunAsync(new Dictionary<string, string>(Monitored) { ["reservedConcurrency"] = "40", ["alarmConcurrencyPercent"] = "75", ["alarmLatencyP99Ms"] = "1200" });

        foreach ((string key, string metric, string statistic) in new[] { ("function-errors", "Errors", "Sum"), ("function-throttles", "Throttles", "Sum"), ("function-concurrency", "ConcurrentExecutions", "Maximum") })
        {
            MockResourceArgs alarm = AlarmNamed(run, key);
            Assert.Equal(("AWS/Lambda", metric, statistic), (Text(alarm, "namespace"), Text(alarm, "metricName"), Text(alarm, "statistic")));
            Assert.Equal(new Dictionary<string, object> { ["FunctionName"] = "items-api-dev-items" }, Map(alarm, "dimensions"));
        }
        Assert.Equal(30, Number(AlarmNamed(run, "function-concurrency"), "threshold")); // 75% of the reserved 40

        MockResourceArgs latency = AlarmNamed(run, "api-latency-p99");
        Assert.Equal("p99", Text(latency, "extendedStatistic"));
        Assert.False(latency.Inputs.ContainsKey("statistic"));
        Assert.Equal(1200, Number(latency, "threshold"));
    }

    [Theory]
    [InlineData("table-throttles", "ThrottledRequests")]
    [InlineData("table-system-errors", "SystemErrors")]
    public async Task Table_alarms_sum_the_table_s_operations_with_metric_math(string key, string metricName)
    {
        StackRun run = await RunAsync(Monitored);
        MockResourceArgs alarm = AlarmNamed(run, key);
        string tableName = await run.OutputAsync<string>("tableName");

        var queries = List(alarm, "metricQueries").Cast<ImmutableDictionary<string, object>>().ToList();
        var metrics = queries.Where(q => q.ContainsKey("metric")).ToList();
        Assert.Equal(StageAlarms.TableOperations.Count, metrics.Count);
        foreach ((ImmutableDictionary<string, object> query, string operation) in metrics.Zip(StageAlarms.TableOperations))
        {
            var metric = (ImmutableDictionary<string, object>)query["metric"];
            Assert.Equal(("AWS/DynamoDB", metricName, "Sum"), (metric["namespace"], metric["metricName"], metric["stat"]));
            Assert.Equal(new Dictionary<string, object> { ["TableName"] = tableName, ["Operation"] = operation }, (ImmutableDictionary<string, object>)metric["dimensions"]);
            Assert.Equal(false, query["returnData"]);
        }
        ImmutableDictionary<string, object> total = Assert.Single(queries, q => q.ContainsKey("expression"));
        Assert.Equal(true, total["returnData"]);
        Assert.StartsWith("FILL(m1,0)+FILL(m2,0)", (string)total["expression"]);
        // A metric-math alarm names no metric of its own.
        Assert.False(alarm.Inputs.ContainsKey("metricName"));
        Assert.Equal(1, Number(alarm, "threshold"));
    }

    [Fact]
    public async Task The_429_alarm_reads_a_metric_filter_on_the_access_log()
    {
        StackRun run = await RunAsync(Monitored);
        MockResourceArgs filter = run.Single<CloudWatch.LogMetricFilter>();
        Assert.Equal(await run.OutputAsync<string>("accessLogGroupName"), Text(filter, "logGroupName"));
        Assert.Equal("""{ $.status = "429" }""", Text(filter, "pattern"));
        ImmutableDictionary<string, object> transformation = Map(filter, "metricTransformation");
        Assert.Equal(("items-api/dev", "ThrottledRequests", "1", "0"),
            (transformation["namespace"], transformation["name"], transformation["value"], transformation["defaultValue"]));

        // The rate is throttled / all requests (metric math): a filter's Average is not a share of requests.
        MockResourceArgs alarm = AlarmNamed(run, "api-429-rate");
        var queries = List(alarm, "metricQueries").Cast<ImmutableDictionary<string, object>>().ToList();
        Assert.Equal(["m1", "m2", "total"], queries.Select(q => q["id"].ToString()));
        var throttled = (ImmutableDictionary<string, object>)queries[0]["metric"];
        var requests = (ImmutableDictionary<string, object>)queries[1]["metric"];
        Assert.Equal(("items-api/dev", "ThrottledRequests", "Sum"), (throttled["namespace"], throttled["metricName"], throttled["stat"]));
        Assert.Equal(("AWS/ApiGateway", "Count", "Sum"), (requests["namespace"], requests["metricName"], requests["stat"]));
        Assert.Equal("FILL(m1,0)/m2", queries[2]["expression"]);
        Assert.False(alarm.Inputs.ContainsKey("metricName"));
        Assert.Equal(0.05, Number(alarm, "threshold"), 10);
        // Registered after the filter it reads.
        Assert.True(run.PositionOf("end:aws:cloudwatch/logMetricFilter:LogMetricFilter::monitoring-throttled-requests")
            < run.PositionOf("start:aws:cloudwatch/metricAlarm:MetricAlarm::monitoring-api-429-rate"));
    }

    [Fact]
    public async Task An_alarm_email_subscribes_to_the_topic()
    {
        Assert.Empty((await RunAsync(Monitored)).OfType<Sns.TopicSubscription>());

        StackRun run = await RunAsync(new Dictionary<string, string>(Monitored) { ["alarmEmail"] = "ops@example.com" });
        MockResourceArgs subscription = run.Single<Sns.TopicSubscription>();
        Assert.Equal(("email", "ops@example.com"), (Text(subscription, "protocol"), Text(subscription, "endpoint")));
        Assert.Equal($"arn:aws:sns:{AwsMocks.Region}:{AwsMocks.Account}:items-api-dev-alarms", Text(subscription, "topic"));
    }

    [Fact]
    public async Task The_dashboard_shows_the_stage_s_resources_and_its_access_log()
    {
        StackRun run = await RunAsync(Monitored);
        string body = Text(run.Single<CloudWatch.Dashboard>(), "dashboardBody");
        using JsonDocument document = JsonDocument.Parse(body);
        Assert.Equal(1 + 8 + 1, document.RootElement.GetProperty("widgets").GetArrayLength());
        Assert.Contains("\"items-api-dev-items\"", body);
        Assert.Contains($"\"{await run.OutputAsync<string>("tableName")}\"", body);
        Assert.Contains($"SOURCE '{await run.OutputAsync<string>("accessLogGroupName")}'", body);
        Assert.Contains("\"region\":\"eu-west-1\"", body);
    }

    [Fact]
    public async Task Every_stage_saves_its_log_queries_over_the_right_log_groups()
    {
        StackRun run = await RunAsync();
        var queries = run.OfType<CloudWatch.QueryDefinition>();
        Assert.Equal(["items-api/dev/slowest-requests", "items-api/dev/errors-by-route", "items-api/dev/requests-by-api-key", "items-api/dev/function-errors"],
            queries.Select(q => Text(q, "name")));
        string accessLog = await run.OutputAsync<string>("accessLogGroupName");
        Assert.All(queries.Take(3), q => Assert.Equal([accessLog], Strings(q, "logGroupNames")));
        Assert.Equal(["/aws/lambda/items-api-dev-items"], Strings(queries[3], "logGroupNames"));
        Assert.Equal(SavedQueries.SlowestRequests.Query, Text(queries[0], "queryString"));
    }

    [Fact]
    public async Task Names_are_scoped_to_the_stage_so_stages_share_an_account()
    {
        var both = new Dictionary<string, string>(Monitored) { ["wafRateLimit"] = "1000" };
        StackRun dev = await RunAsync(both);
        StackRun prod = await RunAsync(new Dictionary<string, string>(both) { ["stageName"] = "prod" }, stack: "prod");
        static IEnumerable<string> Names(StackRun run) => run.Registered
            .Where(r => r.Type!.StartsWith("aws:cloudwatch/", StringComparison.Ordinal) || r.Type!.StartsWith("aws:sns/", StringComparison.Ordinal) || r.Type!.StartsWith("aws:wafv2/", StringComparison.Ordinal))
            .SelectMany(r => new[] { "name", "dashboardName" }.Where(r.Inputs.ContainsKey).Select(k => Text(r, k)));
        Assert.NotEmpty(Names(dev));
        Assert.Empty(Names(dev).Intersect(Names(prod)));
    }

    [Fact]
    public async Task A_waf_rate_rule_is_the_optional_hard_ceiling_on_the_stage()
    {
        Assert.Empty((await RunAsync()).OfType<WafV2.WebAcl>());

        StackRun run = await RunAsync(new Dictionary<string, string> { ["wafRateLimit"] = "2000", ["wafRateWindowSeconds"] = "60" });
        MockResourceArgs acl = run.Single<WafV2.WebAcl>();
        Assert.Equal("REGIONAL", Text(acl, "scope"));
        Assert.True(Map(acl, "defaultAction").ContainsKey("allow"));
        var rule = (ImmutableDictionary<string, object>)Assert.Single(List(acl, "rules"));
        var rate = (ImmutableDictionary<string, object>)((ImmutableDictionary<string, object>)rule["statement"])["rateBasedStatement"];
        Assert.Equal((2000.0, 60.0, "IP"), (Convert.ToDouble(rate["limit"]), Convert.ToDouble(rate["evaluationWindowSec"]), rate["aggregateKeyType"]));
        var block = (ImmutableDictionary<string, object>)((ImmutableDictionary<string, object>)rule["action"])["block"];
        var response = (ImmutableDictionary<string, object>)block["customResponse"];
        Assert.Equal(429, Convert.ToInt32(response["responseCode"]));
        Assert.True(!response.TryGetValue("responseHeaders", out object? headers) || ((ImmutableArray<object>)headers).IsEmpty, "no CORS configured, no CORS headers");
        var body = (ImmutableDictionary<string, object>)Assert.Single(List(acl, "customResponseBodies"));
        Assert.Equal(response["customResponseBodyKey"], body["key"]);
        Assert.Equal("Too Many Requests", JsonDocument.Parse((string)body["content"]).RootElement.GetProperty("message").GetString());

        MockResourceArgs association = run.Single<WafV2.WebAclAssociation>();
        Assert.Equal($"arn:aws:apigateway:{AwsMocks.Region}::/restapis/api-id/stages/dev", Text(association, "resourceArn"));
        Assert.Equal(await run.OutputAsync<string>("webAclArn"), Text(association, "webAclArn"));
    }

    [Fact]
    public async Task Reserved_concurrency_caps_the_items_function_and_the_authorizer_has_its_own_cap()
    {
        Assert.False((await RunAsync()).Named<Lambda.Function>("items-function").Inputs.ContainsKey("reservedConcurrentExecutions"));

        StackRun run = await RunAsync(new Dictionary<string, string> { ["reservedConcurrency"] = "25", ["authMode"] = "apiKey+authorizer", ["authorizerTokenHashes"] = new string('a', 64) },
            secretKeys: ["authorizerTokenHashes"]);
        Assert.Equal(25, Number(run.Named<Lambda.Function>("items-function"), "reservedConcurrentExecutions"));
        Assert.Equal(ConfigKeys.AuthorizerReservedConcurrency.Default, Number(run.Named<Lambda.Function>("authorizer-function"), "reservedConcurrentExecutions"));
    }

    [Fact]
    public async Task Both_functions_log_in_the_runtime_s_json_format()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["authMode"] = "apiKey+authorizer", ["authorizerTokenHashes"] = new string('a', 64) }, secretKeys: ["authorizerTokenHashes"]);
        Assert.All(run.OfType<Lambda.Function>(), function =>
        {
            ImmutableDictionary<string, object> logging = Map(function, "loggingConfig");
            Assert.Equal(("JSON", "INFO", "INFO"), (logging["logFormat"], logging["applicationLogLevel"], logging["systemLogLevel"]));
        });
    }

    [Fact]
    public async Task Verify_reads_the_auth_mode_and_origins_from_the_outputs()
    {
        StackRun run = await RunStackFileAsync("dev");
        Assert.Equal("apiKey", await run.OutputAsync<string>("authMode"));
        Assert.Equal(["http://localhost:5173"], await run.OutputAsync<string[]>("corsAllowedOrigins"));
    }

    [Fact]
    public async Task Rotation_adds_a_next_key_on_the_same_plan_which_later_becomes_the_current_key_unchanged()
    {
        StackRun before = await RunAsync();
        MockResourceArgs original = before.Single<ApiGateway.ApiKey>();

        // Step 1: issue the next key. The current key is untouched; both keys are on the one plan.
        StackRun during = await RunAsync(new Dictionary<string, string> { ["nextApiKey"] = "true", ["nextApiKeyValue"] = "next-key-value-0123456789" }, secretKeys: ["nextApiKeyValue"]);
        Assert.Equal(["items-api-dev-key", "items-api-dev-key-2"], during.OfType<ApiGateway.ApiKey>().Select(k => Text(k, "name")));
        Assert.Equal(original.Name, during.OfType<ApiGateway.ApiKey>()[0].Name);
        string planId = IdOf(during.Single<ApiGateway.UsagePlan>());
        Assert.All(during.OfType<ApiGateway.UsagePlanKey>(), k => Assert.Equal(planId, Text(k, "usagePlanId")));
        Assert.Equal(2, during.OfType<ApiGateway.UsagePlanKey>().Count);
        Assert.Equal("next-key-value-0123456789", await during.OutputAsync<string>("nextApiKey"));
        Assert.True(await during.IsSecretAsync<string>("nextApiKey"));

        // Step 3: retire the old key. The next key keeps its logical name (the same URN): nothing is replaced.
        StackRun after = await RunAsync(new Dictionary<string, string> { ["apiKeyGeneration"] = "2", ["apiKeyValue"] = "next-key-value-0123456789" }, secretKeys: ["apiKeyValue"]);
        MockResourceArgs current = after.Single<ApiGateway.ApiKey>();
        MockResourceArgs next = during.OfType<ApiGateway.ApiKey>()[1];
        Assert.Equal((next.Name, Text(next, "name")), (current.Name, Text(current, "name")));
        Assert.Equal("next-key-value-0123456789", await after.OutputAsync<string>("apiKey"));
        Assert.False(after.Outputs.ContainsKey("nextApiKey"));
    }

    [Fact]
    public async Task The_waf_429_carries_the_same_cors_headers_as_api_gateways_own_429()
    {
        // WAF answers a blocked request itself: API Gateway's gateway responses never see it, so without these headers a
        // browser on an allowed origin gets a CORS error instead of the 429 (AWS WAF: custom responses carry only the
        // headers the rule's CustomResponse lists).
        StackRun run = await RunAsync(new Dictionary<string, string> { ["wafRateLimit"] = "2000", ["corsAllowedOrigins"] = """["https://app.example.com"]""" });
        var rule = (ImmutableDictionary<string, object>)Assert.Single(List(run.Single<WafV2.WebAcl>(), "rules"));
        var block = (ImmutableDictionary<string, object>)((ImmutableDictionary<string, object>)rule["action"])["block"];
        var response = (ImmutableDictionary<string, object>)block["customResponse"];
        var headers = ((ImmutableArray<object>)response["responseHeaders"]).Cast<ImmutableDictionary<string, object>>()
            .ToDictionary(h => (string)h["name"], h => (string)h["value"]);
        var gateway = Map(run.OfType<ApiGateway.Response>().First(r => Text(r, "responseType") == "DEFAULT_4XX"), "responseParameters");
        Assert.Equal(new Dictionary<string, string> { ["Vary"] = "Origin", ["Access-Control-Allow-Origin"] = "https://app.example.com" }, headers);
        Assert.Equal(headers.ToDictionary(h => $"gatewayresponse.header.{h.Key}", h => $"'{h.Value}'"), gateway.ToDictionary(p => p.Key, p => (string)p.Value));
    }

    [Fact]
    public async Task Two_stacks_deploying_one_stage_name_never_share_alarms_dashboard_topic_or_metrics()
    {
        // CloudWatch PutMetricAlarm and PutDashboard overwrite an existing name and SNS CreateTopic returns the existing
        // topic, so equal names would silently make the second stack adopt (and on destroy delete) the first one's.
        StackRun dev = await RunAsync(Monitored);
        StackRun alice = await RunAsync(new Dictionary<string, string>(Monitored) { ["stageName"] = "dev" }, stack: "alice");
        static IEnumerable<string> Names(StackRun run) =>
            run.OfType<CloudWatch.MetricAlarm>().Select(a => Text(a, "name"))
                .Concat(run.OfType<CloudWatch.Dashboard>().Select(d => Text(d, "dashboardName")))
                .Concat(run.OfType<Sns.Topic>().Select(t => Text(t, "name")))
                .Concat(run.OfType<CloudWatch.LogMetricFilter>().Select(f => (string)Map(f, "metricTransformation")["namespace"]));
        Assert.Contains("items-api-dev-alarms", Names(dev)); // a stack named as its stage keeps the plain names
        Assert.Contains("items-api-dev--alice-alarms", Names(alice));
        Assert.Contains("items-api/dev--alice", Names(alice));
        Assert.Empty(Names(dev).Intersect(Names(alice)));
        Assert.Equal("dev", Text(alice.Single<ApiGateway.Stage>(), "stageName"));
    }

    [Fact]
    public async Task The_waf_block_alarm_reads_the_web_acl_and_rule_the_ceiling_declares()
    {
        StackRun run = await RunAsync(new Dictionary<string, string>(Monitored) { ["wafRateLimit"] = "1000" });
        MockResourceArgs acl = run.Single<WafV2.WebAcl>();
        var rule = (ImmutableDictionary<string, object>)Assert.Single(List(acl, "rules"));
        string ruleMetric = (string)((ImmutableDictionary<string, object>)rule["visibilityConfig"])["metricName"];

        MockResourceArgs alarm = AlarmNamed(run, "waf-blocked");
        Assert.Equal(("AWS/WAFV2", "BlockedRequests", "Sum"), (Text(alarm, "namespace"), Text(alarm, "metricName"), Text(alarm, "statistic")));
        Assert.Equal(new Dictionary<string, object> { ["WebACL"] = Text(acl, "name"), ["Region"] = AwsMocks.Region, ["Rule"] = ruleMetric },
            Map(alarm, "dimensions"));
        Assert.DoesNotContain((await RunAsync(Monitored)).OfType<CloudWatch.MetricAlarm>(), a => Text(a, "name").EndsWith("waf-blocked", StringComparison.Ordinal));
    }
}
