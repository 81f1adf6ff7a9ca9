using ItemsApi.Core.Auth;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.DeployTime.Settings;
using Pulumi.Testing;
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

        var integrations = run.OfType<ApiGateway.Integration>().Where(i => Text(i, "httpMethod") == "OPTIONS").ToList();
        Assert.Equal(RouteTable.PathTemplates.Order(), integrations.Select(i => run.PathOf(Text(i, "resourceId"))).Order());
        foreach (MockResourceArgs integration in integrations)
        {
            CorsPreflight preflight = Assert.Single(expected, p => p.PathTemplate == run.PathOf(Text(integration, "resourceId")));
            Assert.Equal("MOCK", Text(integration, "type"));
            Assert.Null(Value(integration, "uri")); // nothing to invoke
            Assert.Equal("NEVER", Text(integration, "passthroughBehavior"));
            Assert.Equal("{\"statusCode\": 204}", Map(integration, "requestTemplates")["application/json"]);

            MockResourceArgs methodResponse = Assert.Single(run.OfType<ApiGateway.MethodResponse>(), r => Text(r, "resourceId") == Text(integration, "resourceId"));
            Assert.Equal("204", Text(methodResponse, "statusCode"));
            Assert.Equal("OPTIONS", Text(methodResponse, "httpMethod"));
            Assert.Equal(preflight.ResponseHeaders.Select(h => $"method.response.header.{h}").Order(), Map(methodResponse, "responseParameters").Keys.Order());

            MockResourceArgs response = Assert.Single(run.OfType<ApiGateway.IntegrationResponse>(), r => Text(r, "resourceId") == Text(integration, "resourceId"));
            Assert.Equal("204", Text(response, "statusCode"));
            Assert.Equal(new Dictionary<string, object> { ["method.response.header.Vary"] = "'Origin'" }, Map(response, "responseParameters"));
            // The generated template (DeployTime.Tests/CorsPreflightTests evaluates it), never a copy.
            Assert.Equal(preflight.ResponseTemplate, Map(response, "responseTemplates")["application/json"]);
            Assert.Contains("#if($origin == 'https://a.example.com' || $origin == 'https://b.example.com')", preflight.ResponseTemplate);
        }

        // Only the route table's methods reach the function.
        var proxied = run.OfType<ApiGateway.Integration>().Where(i => Text(i, "type") == "AWS_PROXY").ToList();
        Assert.Equal(RouteTable.All.Select(r => $"{r.Method} {r.PathTemplate}").Order(),
            proxied.Select(i => $"{Text(i, "httpMethod")} {run.PathOf(Text(i, "resourceId"))}").Order());
        Assert.DoesNotContain(proxied, i => Text(i, "httpMethod") == "OPTIONS");
    }

    [Fact]
    public async Task With_any_origin_the_preflight_headers_are_fixed_and_there_is_no_template()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["corsAllowedOrigins"] = """["*"]""" });
        Assert.NotEmpty(run.OfType<ApiGateway.IntegrationResponse>());
        foreach (MockResourceArgs response in run.OfType<ApiGateway.IntegrationResponse>())
        {
            Assert.Equal("'*'", Map(response, "responseParameters")["method.response.header.Access-Control-Allow-Origin"]);
            Assert.Equal("'Origin'", Map(response, "responseParameters")["method.response.header.Vary"]);
            Assert.False(response.Inputs.TryGetValue("responseTemplates", out object? templates) && templates is System.Collections.Immutable.ImmutableDictionary<string, object> { Count: > 0 });
        }
    }

    [Fact]
    public async Task The_deployment_waits_for_the_preflight_answers_and_redeploys_when_the_origins_change()
    {
        StackRun run = await WithCorsAsync();
        MockResourceArgs deployment = run.Single<ApiGateway.Deployment>();
        StackRun other = await RunAsync(new Dictionary<string, string> { ["corsAllowedOrigins"] = """["https://a.example.com"]""" });
        Assert.NotEqual(Map(deployment, "triggers")["apiDefinition"], Map(other.Single<ApiGateway.Deployment>(), "triggers")["apiDefinition"]);
        // Each integration response is started after its integration (API Gateway refuses a response for a missing integration).
        foreach (MockResourceArgs response in run.OfType<ApiGateway.IntegrationResponse>())
            Assert.True(run.PositionOf($"end:{TypeToken<ApiGateway.Integration>()}::{response.Name}") < run.PositionOf($"start:{TypeToken<ApiGateway.IntegrationResponse>()}::{response.Name}"));
    }

    [Fact]
    public async Task The_authorizer_gets_its_own_small_memory_and_a_reserved_concurrency()
    {
        StackRun run = await RunAsync(new Dictionary<string, string>
        {
            ["authMode"] = "apiKey+authorizer", ["authorizerTokenHashes"] = BearerTokenAuthorizer.HashToken("a-token"), ["lambdaMemoryMb"] = "1024",
        }, secretKeys: ["authorizerTokenHashes"]);
        MockResourceArgs authorizer = run.Named<Lambda.Function>("authorizer-function");
        MockResourceArgs items = run.Named<Lambda.Function>("items-function");
        Assert.Equal(128, Convert.ToInt32(Value(authorizer, "memorySize")));
        Assert.Equal(10, Convert.ToInt32(Value(authorizer, "reservedConcurrentExecutions")));
        Assert.Equal(1024, Convert.ToInt32(Value(items, "memorySize")));
        Assert.Null(Value(items, "reservedConcurrentExecutions"));
    }
}
