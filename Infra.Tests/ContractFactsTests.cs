using ItemsApi.Core.Auth;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.DeployTime.Project;
using ItemsApi.DeployTime.Settings;
using ItemsApi.Infra.Components;
using Pulumi.Testing;
using static ItemsApi.Infra.Tests.StackRun;

namespace ItemsApi.Infra.Tests;

/// <summary>
/// The stack declares what the contract defines once and other parts read too: the outputs verify reads
/// (<see cref="StackOutputNames"/>), the authorizer's name, the gateway policy's throttles and quota, and the methods a
/// route may have.
/// </summary>
public class ContractFactsTests
{
    [Fact]
    public async Task Every_output_has_a_declared_name_and_every_declared_name_is_an_output_of_some_stage()
    {
        StackRun plain = await RunAsync();
        StackRun everything = await RunAsync(new Dictionary<string, string>
        {
            ["authMode"] = "iam", ["functionBuild"] = "readyToRun", ["snapStart"] = "true", ["nextApiKey"] = "true",
            ["wafRateLimit"] = "1000", ["monitoring"] = "true",
            ["customDomainName"] = "api.example.com", ["hostedZoneName"] = "example.com", ["disableExecuteApiEndpoint"] = "false",
        }, aws: new FakeAccount().Apis());

        Assert.All(plain.Outputs.Keys.Concat(everything.Outputs.Keys), name => Assert.Contains(name, StackOutputNames.All));
        Assert.Equal(StackOutputNames.All.Order(), everything.Outputs.Keys.Union(plain.Outputs.Keys).Order());
        // What verify reads is there on a plain stage.
        Assert.All([StackOutputNames.Url, StackOutputNames.ApiKey, StackOutputNames.AuthMode, StackOutputNames.CorsAllowedOrigins],
            name => Assert.Contains(name, plain.Outputs.Keys));
    }

    [Theory]
    [InlineData("resources")]
    [InlineData("component")]
    public async Task Both_ways_of_building_the_api_name_the_authorizer_as_the_policy_does(string implementation)
    {
        StackRun run = await RunAsync(new Dictionary<string, string>
        {
            ["apiImplementation"] = implementation, ["authMode"] = "apiKey+authorizer", ["authorizerTokenHashes"] = BearerTokenAuthorizer.HashToken("a-token"),
        }, secretKeys: ["authorizerTokenHashes"]);

        string name = AuthorizerPolicy.BearerTokenName;
        if (implementation == "resources")
            Assert.Equal(name, Text(run.Single<ApiGateway.Authorizer>(), "name"));
        else
        {
            var routes = List(run.Single<AwsApiGateway.RestAPI>(), "routes").Cast<System.Collections.Immutable.ImmutableDictionary<string, object>>().ToList();
            Assert.Equal(RouteTable.All.Count, routes.Count);
            Assert.All(routes, route =>
            {
                var authorizer = (System.Collections.Immutable.ImmutableDictionary<string, object>)Assert.Single((System.Collections.Immutable.ImmutableArray<object>)route["authorizers"]);
                Assert.Equal(name, authorizer["authorizerName"]);
            });
        }
    }

    [Theory]
    [InlineData("resources")]
    [InlineData("component")]
    public async Task The_usage_plan_and_the_method_throttle_are_the_gateway_policys(string implementation)
    {
        var config = new Dictionary<string, string>
        {
            ["apiImplementation"] = implementation, ["usagePlanRateLimit"] = "7.5", ["usagePlanBurstLimit"] = "15", ["quotaLimit"] = "1234",
            ["quotaPeriod"] = "WEEK", ["stageThrottleRateLimit"] = "40.5", ["stageThrottleBurstLimit"] = "80",
        };
        GatewayPolicy policy = GatewayPolicy.For(StageSettings.Load(config.GetValueOrDefault, "dev"));
        StackRun run = await RunAsync(config);

        MockResourceArgs plan = run.Single<ApiGateway.UsagePlan>();
        Assert.Equal(policy.UsagePlanThrottle, new ThrottleLimits(Convert.ToDouble(Map(plan, "throttleSettings")["rateLimit"]), Convert.ToInt32(Map(plan, "throttleSettings")["burstLimit"])));
        Assert.Equal((policy.Quota.Limit, ConfigKeys.QuotaPeriod.WordFor(policy.Quota.Period)), (Convert.ToInt32(Map(plan, "quotaSettings")["limit"]), Map(plan, "quotaSettings")["period"]));
        var methodSettings = Map(run.Single<ApiGateway.MethodSettings>(), "settings");
        Assert.Equal(policy.MethodThrottle, new ThrottleLimits(Convert.ToDouble(methodSettings["throttlingRateLimit"]), Convert.ToInt32(methodSettings["throttlingBurstLimit"])));
    }

    [Fact]
    public void The_component_has_a_method_for_every_method_a_route_may_have() =>
        Assert.All(RouteSet.Methods, method => Assert.Equal(method, RestApiComponent.ToMethod(method).ToString()));
}
