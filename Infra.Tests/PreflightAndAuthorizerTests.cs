using ItemsApi.Core.Auth;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.DeployTime.Settings;
using static ItemsApi.Infra.Tests.StackRun;

namespace ItemsApi.Infra.Tests;

/// <summary>
/// Issue 26, fault 11: callers without a key could make Lambda run. CORS preflights (OPTIONS, keyless) now get a MOCK
/// integration, as API Gateway's own CORS set-up builds ("CORS for REST APIs in API Gateway"), so no Lambda runs for
/// them; and the authorizer, which API Gateway runs before the key check, has its own small memory and reserved concurrency.
/// </summary>
public class PreflightAndAuthorizerTests
{
    private static readonly string[] Origins = ["https://a.example.com", "https://b.example.com"];

    private static Task<StackRun> WithCorsAsync() =>
        RunAsync(new Dictionary<string, string> { ["corsAllowedOrigins"] = $"[\"{string.Join("\",\"", Origins)}\"]" });

    [Fact]
    public async Task Every_preflight_is_a_keyless_options_method_with_a_mock_integration_and_no_lambda()
    {
        StackRun run = await WithCorsAsync();
        StageSettings settings = StageSettings.Load(key => key == "corsAllowedOrigins" ? $"[\"{string.Join("\",\"", Origins)}\"]" : null, "dev");
        IReadOnlyList<CorsPreflight> expected = ApiDefinition.For(settings, GatewayPolicy.For(settings), RouteTable.All).CorsPreflights;

        var integrations = new List<(ApiGateway.Integration Integration, string ResourceId, string Path)>();
        foreach (ApiGateway.Integration i in run.OfType<ApiGateway.Integration>())
        {
            if (await i.HttpMethod.GetValueAsync() != "OPTIONS") continue;
            string resourceId = await i.ResourceId.GetValueAsync();
            integrations.Add((i, resourceId, await run.PathOfAsync(resourceId)));
        }
        Assert.Equal(RouteTable.PathTemplates.Order(), integrations.Select(i => i.Path).Order());
        foreach ((ApiGateway.Integration integration, string resourceId, string path) in integrations)
        {
            CorsPreflight preflight = Assert.Single(expected, p => p.PathTemplate == path);
            Assert.Equal("MOCK", await integration.Type.GetValueAsync());
            Assert.Null(await integration.Uri.GetValueAsync()); // nothing to invoke
            Assert.Equal("NEVER", await integration.PassthroughBehavior.GetValueAsync());
            Assert.Equal("{\"statusCode\": 204}", (await integration.RequestTemplates.GetValueAsync())["application/json"]);

            ApiGateway.MethodResponse methodResponse = await run.SingleAsync<ApiGateway.MethodResponse, string>(r => r.ResourceId, id => id == resourceId);
            Assert.Equal("204", await methodResponse.StatusCode.GetValueAsync());
            Assert.Equal("OPTIONS", await methodResponse.HttpMethod.GetValueAsync());
            Assert.Equal(preflight.ResponseHeaders.Select(h => $"method.response.header.{h}").Order(), (await methodResponse.ResponseParameters.GetValueAsync()).Keys.Order());

            ApiGateway.IntegrationResponse response = await run.SingleAsync<ApiGateway.IntegrationResponse, string>(r => r.ResourceId, id => id == resourceId);
            Assert.Equal("204", await response.StatusCode.GetValueAsync());
            Assert.Equal(new Dictionary<string, string> { ["method.response.header.Vary"] = "'Origin'" }, await response.ResponseParameters.GetValueAsync());
            // The generated template (DeployTime.Tests/CorsPreflightTests evaluates it), never a copy.
            Assert.Equal(preflight.ResponseTemplate, (await response.ResponseTemplates.GetValueAsync())["application/json"]);
            Assert.Contains("#if($origin == 'https://a.example.com' || $origin == 'https://b.example.com')", preflight.ResponseTemplate);
        }

        // Only the route table's methods reach the function.
        var proxied = new List<string>();
        foreach (ApiGateway.Integration i in await run.WhereAsync<ApiGateway.Integration, string>(i => i.Type, type => type == "AWS_PROXY"))
            proxied.Add($"{await i.HttpMethod.GetValueAsync()} {await run.PathOfAsync(await i.ResourceId.GetValueAsync())}");
        Assert.Equal(RouteTable.All.Select(r => $"{r.Method} {r.PathTemplate}").Order(), proxied.Order());
        Assert.DoesNotContain(proxied, route => route.StartsWith("OPTIONS ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_any_origin_the_preflight_headers_are_fixed_and_there_is_no_template()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["corsAllowedOrigins"] = """["*"]""" });
        Assert.NotEmpty(run.OfType<ApiGateway.IntegrationResponse>());
        foreach (ApiGateway.IntegrationResponse response in run.OfType<ApiGateway.IntegrationResponse>())
        {
            var parameters = await response.ResponseParameters.GetValueAsync();
            Assert.Equal("'*'", parameters["method.response.header.Access-Control-Allow-Origin"]);
            Assert.Equal("'Origin'", parameters["method.response.header.Vary"]);
            Assert.True((await response.ResponseTemplates.GetValueAsync()) is null or { Count: 0 });
        }
    }

    [Fact]
    public async Task The_deployment_waits_for_the_preflight_answers_and_redeploys_when_the_origins_change()
    {
        StackRun run = await WithCorsAsync();
        ApiGateway.Deployment deployment = run.Single<ApiGateway.Deployment>();
        StackRun other = await RunAsync(new Dictionary<string, string> { ["corsAllowedOrigins"] = """["https://a.example.com"]""" });
        Assert.NotEqual((await deployment.Triggers.GetValueAsync())["apiDefinition"], (await other.Single<ApiGateway.Deployment>().Triggers.GetValueAsync())["apiDefinition"]);
        // Each integration response is started after its integration (API Gateway refuses a response for a missing integration).
        Assert.NotEmpty(run.OfType<ApiGateway.IntegrationResponse>());
        foreach (ApiGateway.IntegrationResponse response in run.OfType<ApiGateway.IntegrationResponse>())
            Assert.True(run.PositionOf($"end:{TypeToken<ApiGateway.Integration>()}::{response.GetResourceName()}") < run.PositionOf($"start:{TypeToken<ApiGateway.IntegrationResponse>()}::{response.GetResourceName()}"));
    }

    [Fact]
    public async Task The_authorizer_gets_its_own_small_memory_and_a_reserved_concurrency()
    {
        StackRun run = await RunAsync(new Dictionary<string, string>
        {
            ["authMode"] = "apiKey+authorizer", ["authorizerTokenHashes"] = BearerTokenAuthorizer.HashToken("a-token"), ["lambdaMemoryMb"] = "1024",
        }, secretKeys: ["authorizerTokenHashes"]);
        Lambda.Function authorizer = run.Named<Lambda.Function>("authorizer-function");
        Lambda.Function items = run.Named<Lambda.Function>("items-function");
        Assert.Equal(128, await authorizer.MemorySize.GetValueAsync());
        Assert.Equal(10, await authorizer.ReservedConcurrentExecutions.GetValueAsync());
        Assert.Equal(1024, await items.MemorySize.GetValueAsync());
        Assert.Null(await items.ReservedConcurrentExecutions.GetValueAsync());
    }
}
