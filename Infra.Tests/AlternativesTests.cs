using ItemsApi.Core.Routes;
using Pulumi.Testing;
using static ItemsApi.Infra.Tests.StackRun;

namespace ItemsApi.Infra.Tests;

/// <summary>The Pulumi.AwsApiGateway component and the custom domain.</summary>
public class AlternativesTests
{
    [Fact]
    public async Task The_component_builds_the_same_routes_and_binds_the_same_plan_and_key()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["apiImplementation"] = "component" });

        MockResourceArgs component = run.Single<AwsApiGateway.RestAPI>();
        Assert.Equal("dev", Text(component, "stageName"));
        Assert.Equal("HEADER", Text(component, "apiKeySource"));
        var routes = List(component, "routes").Cast<System.Collections.Immutable.ImmutableDictionary<string, object>>().ToList();
        Assert.Equal(RouteTable.All.Select(r => $"{r.Method} {r.PathTemplate}").Order(), routes.Select(r => $"{r["method"]} {r["path"]}").Order());
        Assert.All(routes, r => Assert.Equal(true, r["apiKeyRequired"]));
        Assert.All(routes, r => Assert.True(r.ContainsKey("eventHandler")));

        // No explicit tree in this mode.
        Assert.Empty(run.OfType<ApiGateway.Method>());
        Assert.Empty(run.OfType<ApiGateway.Deployment>());

        MockResourceArgs plan = run.Single<ApiGateway.UsagePlan>();
        var apiStage = (System.Collections.Immutable.ImmutableDictionary<string, object>)Assert.Single(List(plan, "apiStages"));
        Assert.Equal("api-api-id", apiStage["apiId"]);
        Assert.Equal("dev", apiStage["stage"]);
        Assert.Equal(IdOf(run.Single<ApiGateway.ApiKey>()), Text(run.Single<ApiGateway.UsagePlanKey>(), "keyId"));
        Assert.True(await run.IsSecretAsync<string>("apiKey"));
        Assert.EndsWith("/dev/items", await run.OutputAsync<string>("url"));
    }

    [Fact]
    public async Task A_custom_domain_gets_a_validated_certificate_tls12_regional_domain_mapping_and_alias()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["customDomainName"] = "api.example.com", ["hostedZoneName"] = "example.com" },
            aws: new FakeAccount { DomainServes = true }.Apis());

        MockResourceArgs certificate = run.Single<Acm.Certificate>();
        Assert.Equal("api.example.com", Text(certificate, "domainName"));
        Assert.Equal("DNS", Text(certificate, "validationMethod"));
        MockResourceArgs validationRecord = run.Named<Route53.Record>("custom-domain-validation");
        Assert.Equal("ZHOSTED", Text(validationRecord, "zoneId"));
        Assert.Equal("CNAME", Text(validationRecord, "type"));

        MockResourceArgs domain = run.Single<ApiGateway.DomainName>();
        Assert.Equal("api.example.com", Text(domain, "domainName"));
        Assert.Equal("TLS_1_2", Text(domain, "securityPolicy"));
        Assert.Equal("REGIONAL", Map(domain, "endpointConfiguration")["types"]);
        Assert.Equal($"arn:aws:acm:{AwsMocks.Region}:{AwsMocks.Account}:certificate/custom-domain-id", Text(domain, "regionalCertificateArn"));

        MockResourceArgs mapping = run.Single<ApiGateway.BasePathMapping>();
        Assert.Equal("dev", Text(mapping, "stageName"));
        Assert.Equal("api-id", Text(mapping, "restApi"));

        MockResourceArgs alias = run.Named<Route53.Record>("custom-domain-alias");
        Assert.Equal("A", Text(alias, "type"));
        var target = (System.Collections.Immutable.ImmutableDictionary<string, object>)Assert.Single(List(alias, "aliases"));
        Assert.Equal("ZREGIONAL", target["zoneId"]);

        // By default the execute-api endpoint is off once the domain serves the stage, and the url output names the domain.
        Assert.Equal("https://api.example.com/items", await run.OutputAsync<string>("url"));
        Assert.Equal(true, Value(run.Single<ApiGateway.RestApi>(), "disableExecuteApiEndpoint"));
        Assert.False(run.Outputs.ContainsKey("executeApiUrl"));
    }

    [Fact]
    public async Task The_execute_api_endpoint_can_stay_on_beside_a_custom_domain()
    {
        StackRun run = await RunAsync(new Dictionary<string, string>
        {
            ["customDomainName"] = "api.example.com", ["hostedZoneName"] = "example.com", ["disableExecuteApiEndpoint"] = "false",
        });
        Assert.Equal(false, Value(run.Single<ApiGateway.RestApi>(), "disableExecuteApiEndpoint"));
        Assert.Equal("https://api.example.com/items", await run.OutputAsync<string>("url"));
        Assert.EndsWith(".amazonaws.com/dev/items", await run.OutputAsync<string>("executeApiUrl"));
    }

    [Fact]
    public async Task The_component_keeps_the_execute_api_endpoint_on_beside_a_custom_domain()
    {
        // API Gateway applies disableExecuteApiEndpoint when the stage is next deployed, and the component redeploys only
        // when its OpenAPI body, key source, binary media types, endpoint type or policy change (pulumi-aws-apigateway 3.0.0,
        // api.ts: the Deployment's `version`). Turned off there, adding or removing a domain would never reach the stage.
        StackRun run = await RunAsync(new Dictionary<string, string>
        {
            ["apiImplementation"] = "component", ["customDomainName"] = "api.example.com", ["hostedZoneName"] = "example.com",
        });
        Assert.Equal(false, Value(run.Single<AwsApiGateway.RestAPI>(), "disableExecuteApiEndpoint"));
        Assert.Equal("https://api.example.com/items", await run.OutputAsync<string>("url"));
        Assert.EndsWith(".amazonaws.com/dev/items", await run.OutputAsync<string>("executeApiUrl"));
    }

    [Fact]
    public async Task Without_a_custom_domain_the_url_is_the_stage_and_the_endpoint_stays_on()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["disableExecuteApiEndpoint"] = "true" });
        Assert.Empty(run.OfType<Acm.Certificate>());
        Assert.Equal(false, Value(run.Single<ApiGateway.RestApi>(), "disableExecuteApiEndpoint"));
        Assert.EndsWith(".amazonaws.com/dev/items", await run.OutputAsync<string>("url"));
    }

    [Fact]
    public async Task The_component_keeps_api_gateways_own_403_answers_and_text_bodies()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["apiImplementation"] = "component" });
        MockResourceArgs component = run.Single<AwsApiGateway.RestAPI>();
        // Its defaults would turn these into 404 "404 Not found" and base64-encode every body (binary */*).
        var responses = Map(component, "gatewayResponses");
        foreach (string type in new[] { "MISSING_AUTHENTICATION_TOKEN", "ACCESS_DENIED" })
        {
            var response = (System.Collections.Immutable.ImmutableDictionary<string, object>)responses[type];
            Assert.Equal(403, Convert.ToInt32(response["statusCode"]));
            Assert.Equal("{\"message\":$context.error.messageString}", ((System.Collections.Immutable.ImmutableDictionary<string, object>)response["responseTemplates"])["application/json"]);
        }
        Assert.True(responses.ContainsKey("DEFAULT_4XX"));
        Assert.Empty(List(component, "binaryMediaTypes"));
        Assert.True(component.Inputs.ContainsKey("binaryMediaTypes"));
    }
}
