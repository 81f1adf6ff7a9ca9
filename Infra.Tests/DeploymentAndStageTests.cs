using ItemsApi.Core.Auth;
using System.Collections.Immutable;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Settings;
using ItemsApi.DeployTime.Project;
using Pulumi.Testing;
using static ItemsApi.Infra.Tests.StackRun;

namespace ItemsApi.Infra.Tests;

/// <summary>When the stage is redeployed, what waits for what, and the stage's logs and settings.</summary>
public class DeploymentAndStageTests
{

    /// <summary>The deployment's triggers; each is read by its name with the indexer, which throws on a name not there.</summary>
    private static async Task<ImmutableDictionary<string, string>> TriggersAsync(IReadOnlyDictionary<string, string>? config = null) =>
        await TriggersOf(await RunAsync(config, secretKeys: config?.Keys.Where(key => ConfigKeys.All.Any(s => s.Name == key && s.SetWithSecret))));

    private static async Task<ImmutableDictionary<string, string>> TriggersOf(StackRun run) =>
        await run.Single<ApiGateway.Deployment>().Triggers.GetValueAsync();

    private static StageSettings Settings(params (string Key, string Value)[] values) =>
        StageSettings.Load(key => values.FirstOrDefault(v => v.Key == key).Value, "dev");

    [Fact]
    public async Task The_same_config_gives_the_same_triggers_so_a_no_op_up_does_not_redeploy() =>
        Assert.Equal(await TriggersAsync(), await TriggersAsync());

    [Fact]
    public void A_new_or_changed_route_changes_the_api_definition()
    {
        StageSettings settings = Settings();
        string Fingerprint(IReadOnlyList<Route> routes) => ApiDefinition.For(settings, GatewayPolicy.For(settings), routes).Fingerprint;
        string original = Fingerprint(RouteTable.All);
        Route put = RouteTable.Find("PUT", RouteTable.ItemPath)!;
        Route[] added = [.. RouteTable.All, put with { Method = "PATCH" }];
        Route[] changed = RouteTable.All.Select(r => r == put ? r with { RequestBody = BodyShape.None } : r).ToArray();

        Assert.Equal(original, Fingerprint(RouteTable.All));
        Assert.NotEqual(original, Fingerprint(added));
        Assert.NotEqual(original, Fingerprint(changed));
    }

    /// <summary>
    /// The inputs of the REST API's own resources, by resource, less what other triggers or nothing deploys. Raw engine
    /// inputs on purpose: the engine's wire form of every input is what a change is looked for in, whatever its type.
    /// </summary>
    private static Dictionary<string, string> ApiResourceInputs(StackRun run)
    {
        string restApi = TypeToken<ApiGateway.RestApi>();
        string[] types = [restApi, TypeToken<ApiGateway.Resource>(), TypeToken<ApiGateway.Method>(), TypeToken<ApiGateway.Integration>(),
            TypeToken<ApiGateway.Authorizer>(), TypeToken<ApiGateway.RequestValidator>(), TypeToken<ApiGateway.Model>(), TypeToken<ApiGateway.Response>()];
        // Function ARNs have triggers of their own (integrationUris, authorizerUri); a rest api's name and description are not deployed.
        bool Compared(string type, string input) => input is not ("uri" or "authorizerUri") && !(type == restApi && input is "name" or "description");
        return run.Registered.Where(r => types.Contains(r.Type)).ToDictionary(r => $"{r.Type}::{r.Name}",
            r => string.Join(";", r.Inputs.Where(i => Compared(r.Type!, i.Key)).OrderBy(i => i.Key, StringComparer.Ordinal)
                .Select(i => $"{i.Key}={Canonical(i.Value)}")));
    }

    /// <summary>An engine input as canonical JSON: maps by sorted key and lists item by item, so a nested change shows.</summary>
    private static string Canonical(object? value) => value switch
    {
        null => "null",
        string text => System.Text.Json.JsonSerializer.Serialize(text),
        bool flag => flag ? "true" : "false",
        IReadOnlyDictionary<string, object> map =>
            "{" + string.Join(",", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{System.Text.Json.JsonSerializer.Serialize(p.Key)}:{Canonical(p.Value)}")) + "}",
        System.Collections.IEnumerable list => "[" + string.Join(",", list.Cast<object?>().Select(Canonical)) + "]",
        IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"an input of type {value.GetType()}: add it to Canonical"),
    };

    [Fact]
    public async Task Any_config_change_that_changes_the_apis_resources_changes_the_trigger()
    {
        // A deployment snapshots the API's resources and methods; API Gateway serves a change to them only from the next
        // deployment. So for every key: if any input of those resources changed, the apiDefinition trigger must change too.
        string hash = BearerTokenAuthorizer.HashToken("a-token");
        var companions = new Dictionary<string, Dictionary<string, string>>
        {
            ["authMode"] = new() { ["authMode"] = "apiKey+authorizer", ["authorizerTokenHashes"] = hash },
            ["customDomainName"] = new() { ["customDomainName"] = "api.example.com", ["hostedZoneName"] = "example.com" },
            ["disableExecuteApiEndpoint"] = new() { ["customDomainName"] = "api.example.com", ["hostedZoneName"] = "example.com", ["disableExecuteApiEndpoint"] = "false" },
            // Values a key takes only with another, or only from a list: AlternativeValue's "default + 1" is not one of them.
            ["snapStart"] = new() { ["snapStart"] = "true", ["functionBuild"] = "readyToRun" },
            ["logRetentionDays"] = new() { ["logRetentionDays"] = "30" },
            ["tableReadCapacity"] = new() { ["tableReadCapacity"] = "5", ["tableWriteCapacity"] = "5" },
            ["tableWriteCapacity"] = new() { ["tableReadCapacity"] = "5", ["tableWriteCapacity"] = "5" },
            ["wafRateLimit"] = new() { ["wafRateLimit"] = "100" },
            ["wafRateWindowSeconds"] = new() { ["wafRateWindowSeconds"] = "600" },
            ["alarmPeriodSeconds"] = new() { ["alarmPeriodSeconds"] = "120" },
        };
        var baseline = new Dictionary<string, string> { ["customDomainName"] = "api.example.com", ["hostedZoneName"] = "example.com" };
        StackRun before = await RunAsync();
        // The domain already serves the stage, so the endpoint switch applies (CustomDomainTests: not before).
        Func<string, DeployTime.Aws.AwsApis> serving = new FakeAccount { DomainServes = true }.Apis();
        StackRun withDomain = await RunAsync(baseline, aws: serving);
        int changedResources = 0;
        var refused = new List<string>();
        foreach (ConfigSetting key in ConfigKeys.All.Where(k => k.Name != "apiImplementation")) // the component: its own test
        {
            Dictionary<string, string> variant = companions.TryGetValue(key.Name, out var set) ? set : new() { [key.Name] = AlternativeValue(key) };
            StackRun reference = key.Name == "disableExecuteApiEndpoint" ? withDomain : before;
            StackRun after;
            try { after = await RunAsync(variant, secretKeys: variant.Keys.Where(k => ConfigKeys.All.Any(s => s.Name == k && s.SetWithSecret)), aws: serving); }
            catch (Exception e) when (e.ToString().Contains("is not valid"))
            {
                refused.Add($"{key.Name} ({System.Text.RegularExpressions.Regex.Match(e.ToString(), @"items-api:[^\n]*").Value})"); // refused alone: it needs a companion above
                continue;
            }
            if (ApiResourceInputs(reference).OrderBy(p => p.Key).SequenceEqual(ApiResourceInputs(after).OrderBy(p => p.Key))) continue;
            changedResources++;
            Assert.True((await TriggersOf(reference))["apiDefinition"] != (await TriggersOf(after))["apiDefinition"],
                $"{key.Name} changed the API's resources but not the deployment trigger");
        }
        Assert.True(changedResources >= 4, $"only {changedResources} keys changed the API's resources"); // auth, CORS, domain, endpoint, ...
        Assert.True(refused.Count == 0, "keys not tried, refused alone:\n" + string.Join("\n", refused)); // every key was tried: none skipped unseen
    }

    private static string AlternativeValue(ConfigSetting key) => key switch
    {
        BooleanSetting b => b.Default ? "false" : "true",
        ListSetting => """["https://app.example.com"]""",
        _ when key.GetType().GetProperty("Words")?.GetValue(key) is IReadOnlyList<string> words => words.Last(w => !Equals(w, key.DeclaredDefault)),
        _ when key.DeclaredDefault is int number => (number + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ when key.DeclaredDefault is double rate => (rate + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => key.DeclaredDefault?.ToString() ?? "",
    };

    [Theory]
    [InlineData("authMode", "iam")]
    [InlineData("corsAllowedOrigins", "[\"https://app.example.com\"]")]
    public async Task Changing_methods_auth_or_gateway_responses_redeploys(string key, string value) =>
        Assert.NotEqual((await TriggersAsync())["apiDefinition"], (await TriggersAsync(new Dictionary<string, string> { [key] = value }))["apiDefinition"]);

    [Fact]
    public async Task A_replaced_function_redeploys_because_the_snapshot_holds_its_arn()
    {
        // The function's name, and so its ARN, derives from the stage name: a new name replaces the function.
        var before = await TriggersAsync(new Dictionary<string, string> { ["stageName"] = "blue" });
        var after = await TriggersAsync(new Dictionary<string, string> { ["stageName"] = "green" });
        Assert.Equal(before["apiDefinition"], after["apiDefinition"]);
        Assert.NotEqual(before["integrationUris"], after["integrationUris"]);
    }

    [Fact]
    public async Task A_replaced_authorizer_redeploys()
    {
        string hash = new('a', 64);
        var blue = await TriggersAsync(new Dictionary<string, string> { ["stageName"] = "blue", ["authMode"] = "apiKey+authorizer", ["authorizerTokenHashes"] = hash });
        var green = await TriggersAsync(new Dictionary<string, string> { ["stageName"] = "green", ["authMode"] = "apiKey+authorizer", ["authorizerTokenHashes"] = hash });
        Assert.NotEqual(blue["authorizerUri"], green["authorizerUri"]);
    }

    [Theory]
    [InlineData("lambdaMemoryMb", "2048")]
    [InlineData("quotaLimit", "5")]
    [InlineData("logRetentionDays", "30")]
    public async Task Settings_outside_the_snapshot_do_not_redeploy(string key, string value) =>
        Assert.Equal(await TriggersAsync(), await TriggersAsync(new Dictionary<string, string> { [key] = value }));

    [Fact]
    public async Task The_deployment_waits_for_the_lambda_permission_so_the_first_calls_are_allowed()
    {
        // A slow permission: the deployment (and so the stage) must not start before it is done.
        var mocks = new AwsMocks { SlowTypes = { [TypeToken<Lambda.Permission>()] = TimeSpan.FromMilliseconds(300) } };
        StackRun run = await RunAsync(mocks: mocks);
        int permissionDone = run.PositionOf($"end:{TypeToken<Lambda.Permission>()}::api-invoke");
        Assert.True(permissionDone < run.PositionOf($"start:{TypeToken<ApiGateway.Deployment>()}::api"));
        Assert.True(permissionDone < run.PositionOf($"start:{TypeToken<ApiGateway.Stage>()}::api"));
    }

    [Fact]
    public async Task The_stage_waits_for_its_log_groups_and_the_logging_role_setting()
    {
        var mocks = new AwsMocks
        {
            SlowTypes = { [TypeToken<CloudWatch.LogGroup>()] = TimeSpan.FromMilliseconds(200), [TypeToken<ApiGateway.Account>()] = TimeSpan.FromMilliseconds(200) },
        };
        StackRun run = await RunAsync(mocks: mocks);
        int stageStart = run.PositionOf($"start:{TypeToken<ApiGateway.Stage>()}::api");
        Assert.True(run.PositionOf($"end:{TypeToken<CloudWatch.LogGroup>()}::api-execution-logs") < stageStart);
        Assert.True(run.PositionOf($"end:{TypeToken<ApiGateway.Account>()}::apigateway-logging-role") < stageStart);
        Assert.True(run.PositionOf($"end:{TypeToken<CloudWatch.LogGroup>()}::api-execution-logs") < run.PositionOf($"start:{TypeToken<ApiGateway.MethodSettings>()}::api"));
    }


    [Fact]
    public async Task The_stage_points_at_the_deployment_and_logs_every_request_in_json()
    {
        StackRun run = await RunAsync();
        ApiGateway.Stage stage = run.Single<ApiGateway.Stage>();
        ApiGateway.Deployment deployment = run.Single<ApiGateway.Deployment>();
        Assert.Equal(IdOf(deployment), await stage.Deployment.GetValueAsync());
        Assert.Equal("dev", await stage.StageName.GetValueAsync());

        ApiGateway.Outputs.StageAccessLogSettings accessLogs = await stage.AccessLogSettings.GetDeclaredAsync();
        Assert.Equal(AccessLogFormat.ApiGatewayFormat, accessLogs.Format);
        string accessLogGroupName = await run.Named<CloudWatch.LogGroup>("api-access-logs").Name.GetValueAsync();
        Assert.Equal($"arn:aws:logs:{AwsMocks.Region}:{AwsMocks.Account}:log-group:{accessLogGroupName}", accessLogs.DestinationArn);
        Assert.Equal(accessLogGroupName, await run.OutputAsync<string>(StackOutputNames.AccessLogGroupName));
    }

    [Fact]
    public async Task The_execution_log_group_is_declared_with_the_stage_retention()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["logRetentionDays"] = "90", ["executionLogLevel"] = "ERROR" });
        CloudWatch.LogGroup group = run.Named<CloudWatch.LogGroup>("api-execution-logs");
        // The name API Gateway writes execution logs to: API-Gateway-Execution-Logs_{restApiId}/{stageName}.
        Assert.Equal("API-Gateway-Execution-Logs_api-id/dev", await group.Name.GetValueAsync());
        Assert.Equal(90, await group.RetentionInDays.GetValueAsync());
    }

    [Fact]
    public async Task Access_logs_can_be_turned_off_and_then_need_no_logging_role()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["accessLogs"] = "false" });
        Assert.Null(await run.Single<ApiGateway.Stage>().AccessLogSettings.GetValueAsync());
        Assert.DoesNotContain(run.OfType<CloudWatch.LogGroup>(), g => g.GetResourceName() == "api-access-logs");
        Assert.False(run.Outputs.ContainsKey(StackOutputNames.AccessLogGroupName));
        Assert.Empty(run.OfType<ApiGateway.Account>());
        Assert.DoesNotContain(run.OfType<Iam.Role>(), r => r.GetResourceName() == "apigateway-logging-role");
    }

    [Fact]
    public async Task Method_settings_carry_metrics_log_level_and_the_per_method_throttle()
    {
        StackRun run = await RunAsync(new Dictionary<string, string>
        {
            ["executionLogLevel"] = "INFO", ["stageThrottleRateLimit"] = "40.5", ["stageThrottleBurstLimit"] = "80", ["metricsEnabled"] = "false",
        });
        ApiGateway.MethodSettings methodSettings = run.Single<ApiGateway.MethodSettings>();
        Assert.Equal("*/*", await methodSettings.MethodPath.GetValueAsync());
        Assert.Equal("dev", await methodSettings.StageName.GetValueAsync());
        ApiGateway.Outputs.MethodSettingsSettings settings = await methodSettings.Settings.GetValueAsync();
        Assert.Equal("INFO", settings.LoggingLevel);
        Assert.False(settings.MetricsEnabled);
        Assert.Equal(40.5, settings.ThrottlingRateLimit);
        Assert.Equal(80, settings.ThrottlingBurstLimit);
        Assert.False(settings.DataTraceEnabled);
    }

    [Fact]
    public async Task The_url_output_is_the_stage_invoke_url_plus_items()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["stageName"] = "v1" });
        Assert.Equal($"https://api-id.execute-api.{AwsMocks.Region}.amazonaws.com/v1/items", await run.OutputAsync<string>(StackOutputNames.Url));
        Assert.Equal("v1", await run.OutputAsync<string>(StackOutputNames.StageName));
        Assert.Equal("api-id", await run.OutputAsync<string>(StackOutputNames.ApiId));
    }
}
