using ItemsApi.Core.Routes;
using ItemsApi.Core.Settings;
using Pulumi.Testing;
using static ItemsApi.Infra.Tests.StackRun;

namespace ItemsApi.Infra.Tests;

/// <summary>Deployment triggers, the stage, its logs and settings.</summary>
public class DeploymentAndStageTests
{
    private static async Task<string> TriggerAsync(IReadOnlyDictionary<string, string>? config = null, IReadOnlyList<Route>? routes = null)
    {
        StackRun run = await RunAsync(config, routes: routes);
        return Map(run.Single("aws:apigateway/deployment:Deployment"), "triggers")["apiDefinition"].ToString()!;
    }

    [Fact]
    public async Task The_same_config_gives_the_same_trigger_so_a_no_op_up_does_not_redeploy() =>
        Assert.Equal(await TriggerAsync(), await TriggerAsync());

    [Fact]
    public async Task A_new_or_changed_route_redeploys()
    {
        string original = await TriggerAsync();
        Route[] added = [.. RouteTable.All, new Route("PATCH", "/items/{id}", RouteAction.ReplaceItem, "Patch", true, 200)];
        Route[] changed = RouteTable.All.Select(r => r.Method == "PUT" ? r with { RequiresJsonObjectBody = false } : r).ToArray();

        Assert.NotEqual(original, await TriggerAsync(routes: added));
        Assert.NotEqual(original, await TriggerAsync(routes: changed));
    }

    [Theory]
    [InlineData("authMode", "iam")]
    [InlineData("corsAllowedOrigins", "[\"https://app.example.com\"]")]
    public async Task Changing_methods_auth_or_gateway_responses_redeploys(string key, string value) =>
        Assert.NotEqual(await TriggerAsync(), await TriggerAsync(new Dictionary<string, string> { [key] = value }));

    [Theory]
    [InlineData("lambdaMemoryMb", "2048")]
    [InlineData("quotaLimit", "5")]
    [InlineData("logRetentionDays", "30")]
    public async Task Settings_outside_the_api_definition_do_not_redeploy(string key, string value) =>
        Assert.Equal(await TriggerAsync(), await TriggerAsync(new Dictionary<string, string> { [key] = value }));

    [Fact]
    public async Task The_stage_points_at_the_deployment_and_logs_every_request_in_json()
    {
        StackRun run = await RunAsync();
        MockResourceArgs stage = run.Single("aws:apigateway/stage:Stage");
        MockResourceArgs deployment = run.Single("aws:apigateway/deployment:Deployment");
        Assert.Equal(IdOf(deployment), Text(stage, "deployment"));
        Assert.Equal("dev", Text(stage, "stageName"));

        var accessLogs = Map(stage, "accessLogSettings");
        Assert.Equal(AccessLogFormat.ApiGatewayFormat, accessLogs["format"]);
        foreach (string variable in new[] { "$context.requestId", "$context.identity.sourceIp", "$context.requestTime", "$context.httpMethod",
                     "$context.resourcePath", "$context.status", "$context.protocol", "$context.responseLength", "$context.error.message",
                     "$context.error.responseType", "$context.authorizer.error", "$context.integrationErrorMessage", "$context.identity.apiKeyId" })
            Assert.Contains($"\"{variable}\"", accessLogs["format"].ToString());

        MockResourceArgs accessLogGroup = run.Named("aws:cloudwatch/logGroup:LogGroup", "api-access-logs");
        Assert.Equal($"arn:aws:logs:{AwsMocks.Region}:{AwsMocks.Account}:log-group:{Text(accessLogGroup, "name")}", accessLogs["destinationArn"]);
        Assert.Equal(Text(accessLogGroup, "name"), await run.OutputAsync<string>("accessLogGroupName"));
    }

    [Fact]
    public async Task Method_settings_carry_metrics_log_level_and_stage_throttling()
    {
        StackRun run = await RunAsync(new Dictionary<string, string>
        {
            ["executionLogLevel"] = "INFO", ["stageThrottleRateLimit"] = "40", ["stageThrottleBurstLimit"] = "80", ["metricsEnabled"] = "false",
        });
        MockResourceArgs methodSettings = run.Single("aws:apigateway/methodSettings:MethodSettings");
        Assert.Equal("*/*", Text(methodSettings, "methodPath"));
        Assert.Equal("dev", Text(methodSettings, "stageName"));
        var settings = Map(methodSettings, "settings");
        Assert.Equal("INFO", settings["loggingLevel"]);
        Assert.Equal(false, settings["metricsEnabled"]);
        Assert.Equal(40.0, Convert.ToDouble(settings["throttlingRateLimit"]));
        Assert.Equal(80, Convert.ToInt32(settings["throttlingBurstLimit"]));
        Assert.Equal(false, settings["dataTraceEnabled"]);
    }

    [Fact]
    public async Task The_url_output_is_the_stage_invoke_url_plus_items()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["stageName"] = "v1" });
        string url = await run.OutputAsync<string>("url");
        Assert.Equal($"https://api-id.execute-api.{AwsMocks.Region}.amazonaws.com/v1/items", url);
        Assert.Equal("v1", await run.OutputAsync<string>("stageName"));
        Assert.Equal("api-id", await run.OutputAsync<string>("apiId"));
    }
}
