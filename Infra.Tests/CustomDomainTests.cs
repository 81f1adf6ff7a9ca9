using ItemsApi.DeployTime.Aws;
using static ItemsApi.Infra.Tests.StackRun;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.Infra.Tests;

/// <summary>
/// Adding a custom domain to a live stage. API Gateway applies disableExecuteApiEndpoint at the stage's next deployment,
/// which `pulumi up` makes early, while the certificate's DNS validation takes minutes and the domain name, base path
/// mapping and alias record come after it. Turned off in that update, the stage would have no working URL for that
/// window, and none at all if validation failed. So the endpoint goes off only in an update that finds the domain
/// already serving the stage (<see cref="IAwsAccount.CustomDomainServesAsync"/>).
/// </summary>
public class CustomDomainTests
{
    private static readonly Dictionary<string, string> Domain = new() { ["customDomainName"] = "api.example.com", ["hostedZoneName"] = "example.com" };

    [Fact]
    public async Task The_update_that_adds_the_domain_keeps_the_execute_api_endpoint_while_the_certificate_validates()
    {
        var mocks = new AwsMocks { SlowTypes = { [TypeToken<Acm.CertificateValidation>()] = TimeSpan.FromMilliseconds(400) } };
        var account = new FakeAccount { DomainServes = false };
        StackRun run = await RunAsync(Domain, mocks: mocks, aws: account.Apis());

        // The stage is deployed long before the certificate validates and the domain, mapping and record exist...
        int validated = run.PositionOf($"end:{TypeToken<Acm.CertificateValidation>()}::custom-domain");
        Assert.True(run.PositionOf($"end:{TypeToken<ApiGateway.Stage>()}::api") < validated);
        Assert.True(validated < run.PositionOf($"end:{TypeToken<ApiGateway.BasePathMapping>()}::custom-domain"));
        // ...so in that update the execute-api endpoint must stay on, and stays the stage's working URL.
        Assert.False(await run.Single<ApiGateway.RestApi>().DisableExecuteApiEndpoint.GetValueAsync());
        Assert.EndsWith(".amazonaws.com/dev/items", await run.OutputAsync<string>(StackOutputNames.ExecuteApiUrl));
        Assert.Contains("serves api.example.com dev", account.Calls);
    }

    [Fact]
    public async Task The_next_update_finds_the_domain_serving_the_stage_and_turns_the_endpoint_off()
    {
        StackRun run = await RunAsync(Domain, aws: new FakeAccount { DomainServes = true }.Apis());
        Assert.True(await run.Single<ApiGateway.RestApi>().DisableExecuteApiEndpoint.GetValueAsync());
        Assert.False(run.Outputs.ContainsKey(StackOutputNames.ExecuteApiUrl));
    }

    [Fact]
    public async Task When_the_account_cannot_be_read_the_endpoint_stays_on()
    {
        StackRun unreadable = await RunAsync(Domain, aws: new FakeAccount { DomainServes = true, Failure = new AwsApiException("apigateway:GetDomainName", 403, "AccessDeniedException", "no") }.Apis());
        StackRun noCredentials = await RunAsync(Domain, aws: _ => throw new ProviderIdentityException("no profile"));
        foreach (StackRun run in new[] { unreadable, noCredentials })
            Assert.False(await run.Single<ApiGateway.RestApi>().DisableExecuteApiEndpoint.GetValueAsync());
    }
}
