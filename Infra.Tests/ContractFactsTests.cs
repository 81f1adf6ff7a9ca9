using ItemsApi.Core.Auth;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.DeployTime.Project;
using ItemsApi.DeployTime.Settings;
using ItemsApi.DeployTime.VersionRetention;
using ItemsApi.Infra.Components;
using System.Collections.Immutable;
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
        }, aws: new FakeAccount().Apis()); // nothing published yet: the stack exports what it deleted (nothing)

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
            Assert.Equal(name, await run.Single<ApiGateway.Authorizer>().Name.GetValueAsync());
        else
        {
            // A remote component's inputs are not properties of its class: read raw, each key required.
            var routes = ((ImmutableArray<object>)Input(run.RawSingle<AwsApiGateway.RestAPI>(), "routes")).Cast<ImmutableDictionary<string, object>>().ToList();
            Assert.Equal(RouteTable.All.Count, routes.Count);
            Assert.All(routes, route =>
            {
                var authorizer = (ImmutableDictionary<string, object>)Assert.Single((ImmutableArray<object>)Entry(route, "authorizers"));
                Assert.Equal(name, Entry(authorizer, "authorizerName"));
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

        ApiGateway.UsagePlan plan = run.Single<ApiGateway.UsagePlan>();
        ApiGateway.Outputs.UsagePlanThrottleSettings throttle = await plan.ThrottleSettings.GetDeclaredAsync();
        Assert.Equal(policy.UsagePlanThrottle, new ThrottleLimits(throttle.RateLimit!.Value, throttle.BurstLimit!.Value));
        ApiGateway.Outputs.UsagePlanQuotaSettings quota = await plan.QuotaSettings.GetDeclaredAsync();
        Assert.Equal(policy.Quota.Limit, quota.Limit);
        Assert.Equal(ConfigKeys.QuotaPeriod.WordFor(policy.Quota.Period), quota.Period);
        ApiGateway.Outputs.MethodSettingsSettings methodSettings = await run.Single<ApiGateway.MethodSettings>().Settings.GetValueAsync();
        Assert.Equal(policy.MethodThrottle, new ThrottleLimits(methodSettings.ThrottlingRateLimit!.Value, methodSettings.ThrottlingBurstLimit!.Value));
    }

    [Fact]
    public void The_component_has_a_method_for_every_method_a_route_may_have() =>
        Assert.All(RouteSet.Methods, method => Assert.Equal(method, RestApiComponent.ToMethod(method).ToString()));
}
