using ItemsApi.Core.Routes;
using Pulumi.Testing;
using static ItemsApi.Infra.Tests.StackRun;

namespace ItemsApi.Infra.Tests;

/// <summary>The Pulumi.AwsApiGateway front door and the custom domain.</summary>
public class AlternativesTests
{
    [Fact]
    public async Task The_component_front_door_builds_the_same_routes_and_binds_the_same_plan_and_key()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["apiImplementation"] = "component" });

        MockResourceArgs component = run.Single("aws-apigateway:index:RestAPI");
        Assert.Equal("dev", Text(component, "stageName"));
        Assert.Equal("HEADER", Text(component, "apiKeySource"));
        var routes = List(component, "routes").Cast<System.Collections.Immutable.ImmutableDictionary<string, object>>().ToList();
        Assert.Equal(RouteTable.All.Select(r => $"{r.Method} {r.PathTemplate}").Order(), routes.Select(r => $"{r["method"]} {r["path"]}").Order());
        Assert.All(routes, r => Assert.Equal(true, r["apiKeyRequired"]));
        Assert.All(routes, r => Assert.True(r.ContainsKey("eventHandler")));

        // No explicit tree in this mode.
        Assert.Empty(run.OfType("aws:apigateway/method:Method"));
        Assert.Empty(run.OfType("aws:apigateway/deployment:Deployment"));

        MockResourceArgs plan = run.Single("aws:apigateway/usagePlan:UsagePlan");
        var apiStage = (System.Collections.Immutable.ImmutableDictionary<string, object>)Assert.Single(List(plan, "apiStages"));
        Assert.Equal("api-api-id", apiStage["apiId"]);
        Assert.Equal("dev", apiStage["stage"]);
        Assert.Equal(IdOf(run.Single("aws:apigateway/apiKey:ApiKey")), Text(run.Single("aws:apigateway/usagePlanKey:UsagePlanKey"), "keyId"));
        Assert.True(await run.IsSecretAsync<string>("apiKey"));
        Assert.EndsWith("/dev/items", await run.OutputAsync<string>("url"));
    }

    [Fact]
    public async Task A_custom_domain_gets_a_validated_certificate_tls12_regional_domain_mapping_and_alias()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["customDomainName"] = "api.example.com", ["hostedZoneName"] = "example.com" });

        MockResourceArgs certificate = run.Single("aws:acm/certificate:Certificate");
        Assert.Equal("api.example.com", Text(certificate, "domainName"));
        Assert.Equal("DNS", Text(certificate, "validationMethod"));
        MockResourceArgs validationRecord = run.Named("aws:route53/record:Record", "custom-domain-validation");
        Assert.Equal("ZHOSTED", Text(validationRecord, "zoneId"));
        Assert.Equal("CNAME", Text(validationRecord, "type"));

        MockResourceArgs domain = run.Single("aws:apigateway/domainName:DomainName");
        Assert.Equal("api.example.com", Text(domain, "domainName"));
        Assert.Equal("TLS_1_2", Text(domain, "securityPolicy"));
        Assert.Equal("REGIONAL", Map(domain, "endpointConfiguration")["types"]);
        Assert.Equal($"arn:aws:acm:{AwsMocks.Region}:{AwsMocks.Account}:certificate/custom-domain-id", Text(domain, "regionalCertificateArn"));

        MockResourceArgs mapping = run.Single("aws:apigateway/basePathMapping:BasePathMapping");
        Assert.Equal("dev", Text(mapping, "stageName"));
        Assert.Equal("api-id", Text(mapping, "restApi"));

        MockResourceArgs alias = run.Named("aws:route53/record:Record", "custom-domain-alias");
        Assert.Equal("A", Text(alias, "type"));
        var target = (System.Collections.Immutable.ImmutableDictionary<string, object>)Assert.Single(List(alias, "aliases"));
        Assert.Equal("ZREGIONAL", target["zoneId"]);
        Assert.Equal("https://api.example.com/items", await run.OutputAsync<string>("customUrl"));
    }

    [Fact]
    public async Task Without_a_custom_domain_there_is_no_custom_url()
    {
        StackRun run = await RunAsync();
        Assert.False(run.Outputs.ContainsKey("customUrl"));
        Assert.Empty(run.OfType("aws:acm/certificate:Certificate"));
    }
}
