using ItemsApi.Core.Routes;
using System.Collections.Immutable;
using Pulumi.Testing;
using static ItemsApi.Infra.Tests.StackRun;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.Infra.Tests;

/// <summary>The Pulumi.AwsApiGateway component and the custom domain.</summary>
public class AlternativesTests
{
    [Fact]
    public async Task The_component_builds_the_same_routes_and_binds_the_same_plan_and_key()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["apiImplementation"] = "component" });

        // Raw inputs: a remote component's class has only its outputs (api, stage...), so what the program gave it is
        // read as the engine received it; each read by key fails when the key is missing.
        MockResourceArgs component = run.RawSingle<AwsApiGateway.RestAPI>();
        Assert.Equal("dev", Text(component, "stageName"));
        Assert.Equal("HEADER", Text(component, "apiKeySource"));
        var routes = ((ImmutableArray<object>)Input(component, "routes")).Cast<ImmutableDictionary<string, object>>().ToList();
        Assert.Equal(RouteTable.All.Select(r => $"{r.Method} {r.PathTemplate}").Order(), routes.Select(r => $"{Entry(r, "method")} {Entry(r, "path")}").Order());
        Assert.All(routes, r => Assert.Equal(true, Entry(r, "apiKeyRequired")));
        Assert.All(routes, r => Assert.NotNull(Entry(r, "eventHandler")));

        // No explicit tree in this mode.
        Assert.Empty(run.OfType<ApiGateway.Method>());
        Assert.Empty(run.OfType<ApiGateway.Deployment>());

        ApiGateway.UsagePlan plan = run.Single<ApiGateway.UsagePlan>();
        ApiGateway.Outputs.UsagePlanApiStage apiStage = Assert.Single(await plan.ApiStages.GetValueAsync());
        Assert.Equal(("api-api-id", "dev"), (apiStage.ApiId, apiStage.Stage));
        Assert.Equal(IdOf(run.Single<ApiGateway.ApiKey>()), await run.Single<ApiGateway.UsagePlanKey>().KeyId.GetValueAsync());
        Assert.True(await run.IsSecretAsync<string>(StackOutputNames.ApiKey));
        Assert.EndsWith("/dev/items", await run.OutputAsync<string>(StackOutputNames.Url));
    }

    [Fact]
    public async Task A_custom_domain_gets_a_validated_certificate_tls12_regional_domain_mapping_and_alias()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["customDomainName"] = "api.example.com", ["hostedZoneName"] = "example.com" },
            aws: new FakeAccount { DomainServes = true }.Apis());

        Acm.Certificate certificate = run.Single<Acm.Certificate>();
        Assert.Equal("api.example.com", await certificate.DomainName.GetValueAsync());
        Assert.Equal("DNS", await certificate.ValidationMethod.GetValueAsync());
        Route53.Record validationRecord = run.Named<Route53.Record>("custom-domain-validation");
        Assert.Equal("ZHOSTED", await validationRecord.ZoneId.GetValueAsync());
        Assert.Equal("CNAME", await validationRecord.Type.GetValueAsync());

        ApiGateway.DomainName domain = run.Single<ApiGateway.DomainName>();
        Assert.Equal("api.example.com", await domain.Domain.GetValueAsync());
        Assert.Equal("TLS_1_2", await domain.SecurityPolicy.GetValueAsync());
        Assert.Equal("REGIONAL", (await domain.EndpointConfiguration.GetValueAsync()).Types);
        Assert.Equal($"arn:aws:acm:{AwsMocks.Region}:{AwsMocks.Account}:certificate/custom-domain-id", await domain.RegionalCertificateArn.GetValueAsync());

        ApiGateway.BasePathMapping mapping = run.Single<ApiGateway.BasePathMapping>();
        Assert.Equal("dev", await mapping.StageName.GetValueAsync());
        Assert.Equal("api-id", await mapping.RestApi.GetValueAsync());

        Route53.Record alias = run.Named<Route53.Record>("custom-domain-alias");
        Assert.Equal("A", await alias.Type.GetValueAsync());
        Assert.Equal("ZREGIONAL", Assert.Single(await alias.Aliases.GetValueAsync()).ZoneId);

        // By default the execute-api endpoint is off once the domain serves the stage, and the url output names the domain.
        Assert.Equal("https://api.example.com/items", await run.OutputAsync<string>(StackOutputNames.Url));
        Assert.True(await run.Single<ApiGateway.RestApi>().DisableExecuteApiEndpoint.GetValueAsync());
        Assert.False(run.Outputs.ContainsKey(StackOutputNames.ExecuteApiUrl));
    }

    [Fact]
    public async Task The_execute_api_endpoint_can_stay_on_beside_a_custom_domain()
    {
        StackRun run = await RunAsync(new Dictionary<string, string>
        {
            ["customDomainName"] = "api.example.com", ["hostedZoneName"] = "example.com", ["disableExecuteApiEndpoint"] = "false",
        });
        Assert.False(await run.Single<ApiGateway.RestApi>().DisableExecuteApiEndpoint.GetValueAsync());
        Assert.Equal("https://api.example.com/items", await run.OutputAsync<string>(StackOutputNames.Url));
        Assert.EndsWith(".amazonaws.com/dev/items", await run.OutputAsync<string>(StackOutputNames.ExecuteApiUrl));
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
        Assert.Equal(false, Input(run.RawSingle<AwsApiGateway.RestAPI>(), "disableExecuteApiEndpoint")); // a component input: read raw (above)
        Assert.Equal("https://api.example.com/items", await run.OutputAsync<string>(StackOutputNames.Url));
        Assert.EndsWith(".amazonaws.com/dev/items", await run.OutputAsync<string>(StackOutputNames.ExecuteApiUrl));
    }

    [Fact]
    public async Task Without_a_custom_domain_the_url_is_the_stage_and_the_endpoint_stays_on()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["disableExecuteApiEndpoint"] = "true" });
        Assert.Empty(run.OfType<Acm.Certificate>());
        Assert.False(await run.Single<ApiGateway.RestApi>().DisableExecuteApiEndpoint.GetValueAsync());
        Assert.EndsWith(".amazonaws.com/dev/items", await run.OutputAsync<string>(StackOutputNames.Url));
    }

    [Fact]
    public async Task The_component_keeps_api_gateways_own_403_answers_and_text_bodies()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["apiImplementation"] = "component" });
        MockResourceArgs component = run.RawSingle<AwsApiGateway.RestAPI>(); // component inputs: read raw (first test)
        // Its defaults would turn these into 404 "404 Not found" and base64-encode every body (binary */*).
        var responses = (ImmutableDictionary<string, object>)Input(component, "gatewayResponses");
        foreach (string type in new[] { "MISSING_AUTHENTICATION_TOKEN", "ACCESS_DENIED" })
        {
            var response = (ImmutableDictionary<string, object>)Entry(responses, type);
            Assert.Equal(403, Convert.ToInt32(Entry(response, "statusCode")));
            Assert.Equal("{\"message\":$context.error.messageString}", Entry((ImmutableDictionary<string, object>)Entry(response, "responseTemplates"), "application/json"));
        }
        Assert.NotNull(Entry(responses, "DEFAULT_4XX"));
        Assert.Empty((ImmutableArray<object>)Input(component, "binaryMediaTypes")); // declared, and empty
    }
}
