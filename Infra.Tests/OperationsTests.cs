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

    private static Task<CloudWatch.MetricAlarm> AlarmNamedAsync(StackRun run, string key) =>
        run.SingleAsync((CloudWatch.MetricAlarm a) => a.Name, name => name == $"items-api-dev-{key}");

    private static async Task<ImmutableDictionary<string, string>> DimensionsAsync(CloudWatch.MetricAlarm alarm) =>
        await alarm.Dimensions.GetValueAsync() ?? ImmutableDictionary<string, string>.Empty;

    [Fact]
    public async Task Prod_turns_monitoring_on_and_dev_leaves_it_off()
    {
        StackRun dev = await RunStackFileAsync("dev");
        Assert.Empty(dev.OfType<CloudWatch.MetricAlarm>());
        Assert.Empty(dev.OfType<Sns.Topic>());
        Assert.Empty(dev.OfType<CloudWatch.Dashboard>());
        Assert.False(dev.Outputs.ContainsKey(StackOutputNames.DashboardUrl));

        StackRun prod = await RunStackFileAsync("prod");
        Assert.Equal(8, prod.OfType<CloudWatch.MetricAlarm>().Count);
        Assert.Equal("items-api-prod-alarms", await prod.Single<Sns.Topic>().Name.GetValueAsync());
        Assert.Equal("items-api-prod", await prod.Single<CloudWatch.Dashboard>().DashboardName.GetValueAsync());
        Assert.Equal("https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=items-api-prod",
            await prod.OutputAsync<string>(StackOutputNames.DashboardUrl));
    }

    [Fact]
    public async Task The_5xx_alarm_watches_the_stage_s_error_rate_and_notifies_the_topic()
    {
        StackRun run = await RunAsync(new Dictionary<string, string>(Monitored) { ["alarm5xxPercent"] = "2" });
        CloudWatch.MetricAlarm alarm = await AlarmNamedAsync(run, "api-5xx-rate");
        string topicArn = $"arn:aws:sns:{AwsMocks.Region}:{AwsMocks.Account}:items-api-dev-alarms";

        Assert.Equal("AWS/ApiGateway", await alarm.Namespace.GetValueAsync());
        Assert.Equal("5XXError", await alarm.MetricName.GetValueAsync());
        Assert.Equal(new Dictionary<string, string> { ["ApiName"] = "items-api-dev", ["Stage"] = "dev" }, await DimensionsAsync(alarm));
        Assert.Equal("Average", await alarm.Statistic.GetValueAsync());
        Assert.Equal(0.02, (await alarm.Threshold.GetValueAsync())!.Value, 10);
        Assert.Equal("GreaterThanThreshold", await alarm.ComparisonOperator.GetValueAsync());
        Assert.Equal(60, await alarm.Period.GetValueAsync());
        Assert.Equal(5, await alarm.EvaluationPeriods.GetValueAsync());
        Assert.Equal(3, await alarm.DatapointsToAlarm.GetValueAsync());
        Assert.Equal("notBreaching", await alarm.TreatMissingData.GetValueAsync());
        Assert.Equal([topicArn], await alarm.AlarmActions.GetItemsAsync());
        Assert.Equal([topicArn], await alarm.OkActions.GetItemsAsync());
    }

    [Fact]
    public async Task Every_alarm_is_declared_as_defined_and_notifies_the_topic()
    {
        var config = new Dictionary<string, string>(Monitored) { ["alarm4xxPercent"] = "5" };
        StackRun run = await RunAsync(config);
        StageSettings settings = StageSettings.Load(key => config.GetValueOrDefault(key), "dev");
        string topicArn = $"arn:aws:sns:{AwsMocks.Region}:{AwsMocks.Account}:{await run.Single<Sns.Topic>().Name.GetValueAsync()}";
        string tableName = await run.OutputAsync<string>(StackOutputNames.TableName);
        var names = new StageNames
        {
            Region = AwsMocks.Region, ApiName = "items-api-dev", StageName = "dev", FunctionName = "items-api-dev-items", TableName = tableName,
            FunctionLogGroup = "/aws/lambda/items-api-dev-items", AccessLogGroup = await run.OutputAsync<string>(StackOutputNames.AccessLogGroupName),
        };

        IReadOnlyList<StageAlarm> defined = StageAlarms.For(settings);
        Assert.Equal(defined.Count, run.OfType<CloudWatch.MetricAlarm>().Count);
        foreach (StageAlarm expected in defined)
        {
            CloudWatch.MetricAlarm alarm = await AlarmNamedAsync(run, expected.Key);
            Assert.Equal(expected.Description, await alarm.AlarmDescription.GetValueAsync());
            Assert.Equal(expected.Threshold, (await alarm.Threshold.GetValueAsync())!.Value, 10);
            Assert.Equal(expected.ComparisonOperator, await alarm.ComparisonOperator.GetValueAsync());
            Assert.Equal(expected.EvaluationPeriods, await alarm.EvaluationPeriods.GetValueAsync());
            Assert.Equal(expected.DatapointsToAlarm, await alarm.DatapointsToAlarm.GetValueAsync());
            Assert.Equal("notBreaching", await alarm.TreatMissingData.GetValueAsync());
            Assert.Equal([topicArn], await alarm.AlarmActions.GetItemsAsync());
            Assert.Equal([topicArn], await alarm.OkActions.GetItemsAsync());
            if (expected.Expression is not null) continue; // metric math: see the table alarms' test
            AlarmMetric metric = Assert.Single(expected.Metrics);
            Assert.Equal((metric.Namespace, metric.MetricName), (await alarm.Namespace.GetValueAsync(), await alarm.MetricName.GetValueAsync()));
            Assert.Equal(expected.Statistic, await (expected.IsPercentile ? alarm.ExtendedStatistic : alarm.Statistic).GetValueAsync());
            Assert.Equal(metric.DimensionValues(names).ToDictionary(d => d.Name, d => d.Value), await DimensionsAsync(alarm));
        }
    }

    [Fact]
    public async Task Function_alarms_use_the_function_s_name_and_latency_uses_the_p99()
    {
        StackRun run = await RunAsync(new Dictionary<string, string>(Monitored) { ["reservedConcurrency"] = "40", ["alarmConcurrencyPercent"] = "75", ["alarmLatencyP99Ms"] = "1200" });

        foreach ((string key, string metric, string statistic) in new[] { ("function-errors", "Errors", "Sum"), ("function-throttles", "Throttles", "Sum"), ("function-concurrency", "ConcurrentExecutions", "Maximum") })
        {
            CloudWatch.MetricAlarm alarm = await AlarmNamedAsync(run, key);
            Assert.Equal(("AWS/Lambda", metric, statistic), (await alarm.Namespace.GetValueAsync(), await alarm.MetricName.GetValueAsync(), await alarm.Statistic.GetValueAsync()));
            Assert.Equal(new Dictionary<string, string> { ["FunctionName"] = "items-api-dev-items" }, await DimensionsAsync(alarm));
        }
        Assert.Equal(30, await (await AlarmNamedAsync(run, "function-concurrency")).Threshold.GetValueAsync()); // 75% of the reserved 40

        CloudWatch.MetricAlarm latency = await AlarmNamedAsync(run, "api-latency-p99");
        Assert.Equal("p99", await latency.ExtendedStatistic.GetValueAsync());
        Assert.Null(await latency.Statistic.GetValueAsync());
        Assert.Equal(1200, await latency.Threshold.GetValueAsync());
    }

    [Theory]
    [InlineData("table-throttles", "ThrottledRequests")]
    [InlineData("table-system-errors", "SystemErrors")]
    public async Task Table_alarms_sum_the_table_s_operations_with_metric_math(string key, string metricName)
    {
        StackRun run = await RunAsync(Monitored);
        CloudWatch.MetricAlarm alarm = await AlarmNamedAsync(run, key);
        string tableName = await run.OutputAsync<string>(StackOutputNames.TableName);

        ImmutableArray<CloudWatch.Outputs.MetricAlarmMetricQuery> queries = await alarm.MetricQueries.GetValueAsync();
        var metrics = queries.Where(q => q.Metric is not null).ToList();
        Assert.Equal(StageAlarms.TableOperations.Count, metrics.Count);
        foreach ((CloudWatch.Outputs.MetricAlarmMetricQuery query, string operation) in metrics.Zip(StageAlarms.TableOperations))
        {
            CloudWatch.Outputs.MetricAlarmMetricQueryMetric metric = query.Metric!;
            Assert.Equal(("AWS/DynamoDB", metricName, "Sum"), (metric.Namespace, metric.MetricName, metric.Stat));
            Assert.Equal(new Dictionary<string, string> { ["TableName"] = tableName, ["Operation"] = operation }, metric.Dimensions);
            Assert.Equal(false, query.ReturnData);
        }
        CloudWatch.Outputs.MetricAlarmMetricQuery total = Assert.Single(queries, q => q.Expression is not null);
        Assert.Equal(true, total.ReturnData);
        Assert.StartsWith("FILL(m1,0)+FILL(m2,0)", total.Expression);
        // A metric-math alarm names no metric of its own.
        Assert.Null(await alarm.MetricName.GetValueAsync());
        Assert.Equal(1, await alarm.Threshold.GetValueAsync());
    }

    [Fact]
    public async Task The_429_alarm_reads_a_metric_filter_on_the_access_log()
    {
        StackRun run = await RunAsync(Monitored);
        CloudWatch.LogMetricFilter filter = run.Single<CloudWatch.LogMetricFilter>();
        Assert.Equal(await run.OutputAsync<string>(StackOutputNames.AccessLogGroupName), await filter.LogGroupName.GetValueAsync());
        Assert.Equal("""{ $.status = "429" }""", await filter.Pattern.GetValueAsync());
        CloudWatch.Outputs.LogMetricFilterMetricTransformation transformation = await filter.MetricTransformation.GetValueAsync();
        Assert.Equal(("items-api/dev", "ThrottledRequests", "1", "0"),
            (transformation.Namespace, transformation.Name, transformation.Value, transformation.DefaultValue));

        // The rate is throttled / all requests (metric math): a filter's Average is not a share of requests.
        CloudWatch.MetricAlarm alarm = await AlarmNamedAsync(run, "api-429-rate");
        ImmutableArray<CloudWatch.Outputs.MetricAlarmMetricQuery> queries = await alarm.MetricQueries.GetValueAsync();
        Assert.Equal(["m1", "m2", "total"], queries.Select(q => q.Id));
        CloudWatch.Outputs.MetricAlarmMetricQueryMetric throttled = queries[0].Metric!, requests = queries[1].Metric!;
        Assert.Equal(("items-api/dev", "ThrottledRequests", "Sum"), (throttled.Namespace, throttled.MetricName, throttled.Stat));
        Assert.Equal(("AWS/ApiGateway", "Count", "Sum"), (requests.Namespace, requests.MetricName, requests.Stat));
        Assert.Equal("FILL(m1,0)/m2", queries[2].Expression);
        Assert.Null(await alarm.MetricName.GetValueAsync());
        Assert.Equal(0.05, (await alarm.Threshold.GetValueAsync())!.Value, 10);
        // Registered after the filter it reads.
        Assert.True(run.PositionOf("end:aws:cloudwatch/logMetricFilter:LogMetricFilter::monitoring-throttled-requests")
            < run.PositionOf("start:aws:cloudwatch/metricAlarm:MetricAlarm::monitoring-api-429-rate"));
    }

    [Fact]
    public async Task An_alarm_email_subscribes_to_the_topic()
    {
        Assert.Empty((await RunAsync(Monitored)).OfType<Sns.TopicSubscription>());

        StackRun run = await RunAsync(new Dictionary<string, string>(Monitored) { ["alarmEmail"] = "ops@example.com" });
        Sns.TopicSubscription subscription = run.Single<Sns.TopicSubscription>();
        Assert.Equal(("email", "ops@example.com"), (await subscription.Protocol.GetValueAsync(), await subscription.Endpoint.GetValueAsync()));
        Assert.Equal($"arn:aws:sns:{AwsMocks.Region}:{AwsMocks.Account}:items-api-dev-alarms", await subscription.Topic.GetValueAsync());
    }

    [Fact]
    public async Task The_dashboard_shows_the_stage_s_resources_and_its_access_log()
    {
        StackRun run = await RunAsync(Monitored);
        string body = await run.Single<CloudWatch.Dashboard>().DashboardBody.GetValueAsync();
        using JsonDocument document = JsonDocument.Parse(body);
        Assert.Equal(1 + 8 + 1, document.RootElement.GetProperty("widgets").GetArrayLength());
        Assert.Contains("\"items-api-dev-items\"", body);
        Assert.Contains($"\"{await run.OutputAsync<string>(StackOutputNames.TableName)}\"", body);
        Assert.Contains($"SOURCE '{await run.OutputAsync<string>(StackOutputNames.AccessLogGroupName)}'", body);
        Assert.Contains("\"region\":\"eu-west-1\"", body);
    }

    [Fact]
    public async Task Every_stage_saves_its_log_queries_over_the_right_log_groups()
    {
        StackRun run = await RunAsync();
        IReadOnlyList<CloudWatch.QueryDefinition> queries = run.OfType<CloudWatch.QueryDefinition>();
        Assert.Equal(["items-api/dev/slowest-requests", "items-api/dev/errors-by-route", "items-api/dev/requests-by-api-key", "items-api/dev/function-errors"],
            await Task.WhenAll(queries.Select(q => q.Name.GetValueAsync())));
        string accessLog = await run.OutputAsync<string>(StackOutputNames.AccessLogGroupName);
        foreach (CloudWatch.QueryDefinition q in queries.Take(3)) Assert.Equal([accessLog], await q.LogGroupNames.GetItemsAsync());
        Assert.Equal(["/aws/lambda/items-api-dev-items"], await queries[3].LogGroupNames.GetItemsAsync());
        Assert.Equal(SavedQueries.SlowestRequests.Query, await queries[0].QueryString.GetValueAsync());
    }

    [Fact]
    public async Task Names_are_scoped_to_the_stage_so_stages_share_an_account()
    {
        var both = new Dictionary<string, string>(Monitored) { ["wafRateLimit"] = "1000" };
        StackRun dev = await RunAsync(both);
        StackRun prod = await RunAsync(new Dictionary<string, string>(both) { ["stageName"] = "prod" }, stack: "prod");
        // Raw engine inputs: every CloudWatch, SNS and WAF resource's name, whatever its class.
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
        WafV2.WebAcl acl = run.Single<WafV2.WebAcl>();
        Assert.Equal("REGIONAL", await acl.Scope.GetValueAsync());
        Assert.NotNull((await acl.DefaultAction.GetValueAsync()).Allow);
        WafV2.Outputs.WebAclRule rule = Assert.Single(await acl.Rules.GetValueAsync());
        WafV2.Outputs.WebAclRuleStatementRateBasedStatement rate = rule.Statement!.RateBasedStatement!;
        Assert.Equal(2000, rate.Limit);
        Assert.Equal(60, rate.EvaluationWindowSec);
        Assert.Equal("IP", rate.AggregateKeyType);
        WafV2.Outputs.WebAclRuleActionBlockCustomResponse response = rule.Action!.Block!.CustomResponse!;
        Assert.Equal(429, response.ResponseCode);
        Assert.True(response.ResponseHeaders.IsDefaultOrEmpty, "no CORS configured, no CORS headers");
        WafV2.Outputs.WebAclCustomResponseBody body = Assert.Single(await acl.CustomResponseBodies.GetValueAsync());
        Assert.Equal(response.CustomResponseBodyKey, body.Key);
        Assert.Equal("Too Many Requests", JsonDocument.Parse(body.Content).RootElement.GetProperty("message").GetString());

        WafV2.WebAclAssociation association = run.Single<WafV2.WebAclAssociation>();
        Assert.Equal($"arn:aws:apigateway:{AwsMocks.Region}::/restapis/api-id/stages/dev", await association.ResourceArn.GetValueAsync());
        Assert.Equal(await run.OutputAsync<string>(StackOutputNames.WebAclArn), await association.WebAclArn.GetValueAsync());
    }

    [Fact]
    public async Task Reserved_concurrency_caps_the_items_function_and_the_authorizer_has_its_own_cap()
    {
        Assert.Null(await (await RunAsync()).Named<Lambda.Function>("items-function").ReservedConcurrentExecutions.GetValueAsync());

        StackRun run = await RunAsync(new Dictionary<string, string> { ["reservedConcurrency"] = "25", ["authMode"] = "apiKey+authorizer", ["authorizerTokenHashes"] = new string('a', 64) },
            secretKeys: ["authorizerTokenHashes"]);
        Assert.Equal(25, await run.Named<Lambda.Function>("items-function").ReservedConcurrentExecutions.GetValueAsync());
        Assert.Equal(ConfigKeys.AuthorizerReservedConcurrency.Default, await run.Named<Lambda.Function>("authorizer-function").ReservedConcurrentExecutions.GetValueAsync());
    }

    [Fact]
    public async Task Both_functions_log_in_the_runtime_s_json_format()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["authMode"] = "apiKey+authorizer", ["authorizerTokenHashes"] = new string('a', 64) }, secretKeys: ["authorizerTokenHashes"]);
        Assert.Equal(2, run.OfType<Lambda.Function>().Count);
        foreach (Lambda.Function function in run.OfType<Lambda.Function>())
        {
            Lambda.Outputs.FunctionLoggingConfig logging = await function.LoggingConfig.GetValueAsync();
            Assert.Equal(("JSON", "INFO", "INFO"), (logging.LogFormat, logging.ApplicationLogLevel, logging.SystemLogLevel));
        }
    }

    [Fact]
    public async Task Verify_reads_the_auth_mode_and_origins_from_the_outputs()
    {
        StackRun run = await RunStackFileAsync("dev");
        Assert.Equal("apiKey", await run.OutputAsync<string>(StackOutputNames.AuthMode));
        Assert.Equal(["http://localhost:5173"], await run.OutputAsync<string[]>(StackOutputNames.CorsAllowedOrigins));
    }

    [Fact]
    public async Task Rotation_adds_a_next_key_on_the_same_plan_which_later_becomes_the_current_key_unchanged()
    {
        StackRun before = await RunAsync();
        ApiGateway.ApiKey original = before.Single<ApiGateway.ApiKey>();

        // Step 1: issue the next key. The current key is untouched; both keys are on the one plan.
        StackRun during = await RunAsync(new Dictionary<string, string> { ["nextApiKey"] = "true", ["nextApiKeyValue"] = "next-key-value-0123456789" }, secretKeys: ["nextApiKeyValue"]);
        Assert.Equal(["items-api-dev-key", "items-api-dev-key-2"], await Task.WhenAll(during.OfType<ApiGateway.ApiKey>().Select(k => k.Name.GetValueAsync())));
        Assert.Equal(original.GetResourceName(), during.OfType<ApiGateway.ApiKey>()[0].GetResourceName());
        string planId = IdOf(during.Single<ApiGateway.UsagePlan>());
        Assert.Equal([planId, planId], await Task.WhenAll(during.OfType<ApiGateway.UsagePlanKey>().Select(k => k.UsagePlanId.GetValueAsync())));
        Assert.Equal("next-key-value-0123456789", await during.OutputAsync<string>(StackOutputNames.NextApiKey));
        Assert.True(await during.IsSecretAsync<string>(StackOutputNames.NextApiKey));

        // Step 3: retire the old key. The next key keeps its logical name (the same URN): nothing is replaced.
        StackRun after = await RunAsync(new Dictionary<string, string> { ["apiKeyGeneration"] = "2", ["apiKeyValue"] = "next-key-value-0123456789" }, secretKeys: ["apiKeyValue"]);
        ApiGateway.ApiKey current = after.Single<ApiGateway.ApiKey>();
        ApiGateway.ApiKey next = during.OfType<ApiGateway.ApiKey>()[1];
        Assert.Equal((next.GetResourceName(), await next.Name.GetValueAsync()), (current.GetResourceName(), await current.Name.GetValueAsync()));
        Assert.Equal("next-key-value-0123456789", await after.OutputAsync<string>(StackOutputNames.ApiKey));
        Assert.False(after.Outputs.ContainsKey(StackOutputNames.NextApiKey));
    }

    [Fact]
    public async Task The_waf_429_carries_the_same_cors_headers_as_api_gateways_own_429()
    {
        // WAF answers a blocked request itself: API Gateway's gateway responses never see it, so without these headers a
        // browser on an allowed origin gets a CORS error instead of the 429 (AWS WAF: custom responses carry only the
        // headers the rule's CustomResponse lists).
        StackRun run = await RunAsync(new Dictionary<string, string> { ["wafRateLimit"] = "2000", ["corsAllowedOrigins"] = """["https://app.example.com"]""" });
        WafV2.Outputs.WebAclRule rule = Assert.Single(await run.Single<WafV2.WebAcl>().Rules.GetValueAsync());
        var headers = rule.Action!.Block!.CustomResponse!.ResponseHeaders.ToDictionary(h => h.Name, h => h.Value);
        ApiGateway.Response default4xx = await run.SingleAsync((ApiGateway.Response r) => r.ResponseType, type => type == "DEFAULT_4XX");
        ImmutableDictionary<string, string> gateway = await default4xx.ResponseParameters.GetValueAsync();
        Assert.Equal(new Dictionary<string, string> { ["Vary"] = "Origin", ["Access-Control-Allow-Origin"] = "https://app.example.com" }, headers);
        Assert.Equal(headers.ToDictionary(h => $"gatewayresponse.header.{h.Key}", h => $"'{h.Value}'"), gateway);
    }

    [Fact]
    public async Task Two_stacks_deploying_one_stage_name_never_share_alarms_dashboard_topic_or_metrics()
    {
        // CloudWatch PutMetricAlarm and PutDashboard overwrite an existing name and SNS CreateTopic returns the existing
        // topic, so equal names would silently make the second stack adopt (and on destroy delete) the first one's.
        StackRun dev = await RunAsync(Monitored);
        StackRun alice = await RunAsync(new Dictionary<string, string>(Monitored) { ["stageName"] = "dev" }, stack: "alice");
        static async Task<string[]> NamesAsync(StackRun run) =>
        [
            .. await Task.WhenAll(run.OfType<CloudWatch.MetricAlarm>().Select(a => a.Name.GetValueAsync())),
            .. await Task.WhenAll(run.OfType<CloudWatch.Dashboard>().Select(d => d.DashboardName.GetValueAsync())),
            .. await Task.WhenAll(run.OfType<Sns.Topic>().Select(t => t.Name.GetValueAsync())),
            .. (await Task.WhenAll(run.OfType<CloudWatch.LogMetricFilter>().Select(f => f.MetricTransformation.GetValueAsync()))).Select(t => t.Namespace),
        ];
        string[] devNames = await NamesAsync(dev), aliceNames = await NamesAsync(alice);
        Assert.Contains("items-api-dev-alarms", devNames); // a stack named as its stage keeps the plain names
        Assert.Contains("items-api-dev--alice-alarms", aliceNames);
        Assert.Contains("items-api/dev--alice", aliceNames);
        Assert.Empty(devNames.Intersect(aliceNames));
        Assert.Equal("dev", await alice.Single<ApiGateway.Stage>().StageName.GetValueAsync());
    }

    [Fact]
    public async Task The_waf_block_alarm_reads_the_web_acl_and_rule_the_ceiling_declares()
    {
        StackRun run = await RunAsync(new Dictionary<string, string>(Monitored) { ["wafRateLimit"] = "1000" });
        WafV2.WebAcl acl = run.Single<WafV2.WebAcl>();
        WafV2.Outputs.WebAclRule rule = Assert.Single(await acl.Rules.GetValueAsync());
        string ruleMetric = rule.VisibilityConfig!.MetricName;

        CloudWatch.MetricAlarm alarm = await AlarmNamedAsync(run, "waf-blocked");
        Assert.Equal(("AWS/WAFV2", "BlockedRequests", "Sum"), (await alarm.Namespace.GetValueAsync(), await alarm.MetricName.GetValueAsync(), await alarm.Statistic.GetValueAsync()));
        Assert.Equal(new Dictionary<string, string> { ["WebACL"] = await acl.Name.GetValueAsync(), ["Region"] = AwsMocks.Region, ["Rule"] = ruleMetric },
            await DimensionsAsync(alarm));
        StackRun withoutWaf = await RunAsync(Monitored);
        Assert.NotEmpty(withoutWaf.OfType<CloudWatch.MetricAlarm>());
        Assert.Empty(await withoutWaf.WhereAsync((CloudWatch.MetricAlarm a) => a.Name, name => name.EndsWith("waf-blocked", StringComparison.Ordinal)));
    }
}
