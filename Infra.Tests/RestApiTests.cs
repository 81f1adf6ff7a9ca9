using System.Text.Json;
using ItemsApi.DeployTime.OpenApi;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Settings;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.Core.Http;
using Pulumi.Testing;
using static ItemsApi.Infra.Tests.StackRun;

namespace ItemsApi.Infra.Tests;

/// <summary>The REST API the stack declares for the route table.</summary>
public class RestApiTests
{

    [Fact]
    public async Task Every_route_has_a_keyed_method_and_a_proxy_integration_to_the_function()
    {
        StackRun run = await RunAsync();
        string invokeArn = $"arn:aws:apigateway:{AwsMocks.Region}:lambda:path/2015-03-31/functions/arn:aws:lambda:{AwsMocks.Region}:{AwsMocks.Account}:function:items-api-dev-items/invocations";

        foreach (Route route in RouteTable.All)
        {
            MockResourceArgs method = Assert.Single(run.OfType<ApiGateway.Method>(), m =>
                Text(m, "httpMethod") == route.Method && run.PathOf(Text(m, "resourceId")) == route.PathTemplate);
            Assert.Equal(true, Value(method, "apiKeyRequired"));
            Assert.Equal("NONE", Text(method, "authorization"));

            MockResourceArgs integration = Assert.Single(run.OfType<ApiGateway.Integration>(), i =>
                Text(i, "httpMethod") == route.Method && run.PathOf(Text(i, "resourceId")) == route.PathTemplate);
            Assert.Equal("AWS_PROXY", Text(integration, "type"));
            Assert.Equal("POST", Text(integration, "integrationHttpMethod"));
            Assert.Equal(invokeArn, Text(integration, "uri"));
            // Explicit, and above the function's longest timeout (28 s), so the gateway never gives up first.
            Assert.Equal(29_000, Convert.ToInt32(Value(integration, "timeoutMilliseconds")));
        }
        Assert.Equal(RouteTable.All.Count, run.OfType<ApiGateway.Method>().Count);
        MockResourceArgs restApi = run.Single<ApiGateway.RestApi>();
        Assert.Equal("REGIONAL", Map(restApi, "endpointConfiguration")["types"]);
        Assert.Equal("HEADER", Text(restApi, "apiKeySource"));
        Assert.Equal(false, Value(restApi, "disableExecuteApiEndpoint"));
    }

    [Fact]
    public async Task One_permission_lets_any_method_of_this_api_reach_the_function_so_a_stale_route_gets_a_json_4xx()
    {
        // Pulumi deletes removed resources after all creates and updates, so a new deployment still snapshots a
        // removed route's method. With a per-route permission deleted at the end, that route would answer 500;
        // with one API-wide permission the function answers it from its own route table (404/405 JSON).
        StackRun run = await RunAsync();
        MockResourceArgs restApi = run.Single<ApiGateway.RestApi>();
        MockResourceArgs permission = Assert.Single(run.OfType<Lambda.Permission>());
        Assert.Equal($"arn:aws:execute-api:{AwsMocks.Region}:{AwsMocks.Account}:{IdOf(restApi)}/*/*/*", Text(permission, "sourceArn"));
        Assert.Equal("apigateway.amazonaws.com", Text(permission, "principal"));
        Assert.Equal("lambda:InvokeFunction", Text(permission, "action"));
        Assert.Equal("items-api-dev-items", Text(permission, "function"));
    }

    [Fact]
    public async Task The_functions_resource_policy_stays_under_lambdas_20_kb_for_a_large_route_table()
    {
        // 300 routes on 150 paths: what a large API looks like.
        Route get = RouteTable.Find("GET", RouteTable.ItemPath)!, put = RouteTable.Find("PUT", RouteTable.ItemPath)!;
        Route[] routes = Enumerable.Range(0, 150).SelectMany(i => new[]
        {
            get with { PathTemplate = $"/resource-{i}/{{id}}" },
            put with { PathTemplate = $"/resource-{i}/{{id}}" },
        }).ToArray();
        var mocks = new AwsMocks();
        await Pulumi.Deployment.TestAsync(mocks, new TestOptions { ProjectName = ConfigKeys.Project, StackName = "dev", IsPreview = false }, () =>
        {
            StageSettings settings = StageSettings.Load(_ => null, "dev");
            var function = new Components.LambdaFunction("items-function", new Components.LambdaFunctionArgs
            {
                FunctionName = "items-api-dev-items", Handler = "h", Code = new Pulumi.AssetArchive(new Dictionary<string, Pulumi.AssetOrArchive>()), Settings = settings,
            });
            _ = new Components.RestApiResources("api", new Components.ItemsApiArgs
            {
                Settings = settings, Policy = GatewayPolicy.For(settings), Routes = routes, NamePrefix = "items-api-dev", ItemsFunction = function,
            });
            return new Dictionary<string, object?>();
        });

        // Each permission is one statement in the function's resource policy, as Lambda stores it.
        string functionArn = $"arn:aws:lambda:{AwsMocks.Region}:{AwsMocks.Account}:function:items-api-dev-items";
        var statements = mocks.Registered.Where(r => r.Type == TypeToken<Lambda.Permission>()).Select(p => new
        {
            Sid = p.Name, Effect = "Allow", Principal = new { Service = Text(p, "principal") }, Action = Text(p, "action"), Resource = functionArn,
            Condition = new { ArnLike = new Dictionary<string, string> { ["AWS:SourceArn"] = Text(p, "sourceArn") } },
        }).ToList();
        string policy = JsonSerializer.Serialize(new { Version = "2012-10-17", Id = "default", Statement = statements });
        Assert.True(policy.Length < 20 * 1024, $"resource policy is {policy.Length} bytes");
        Assert.Equal(300, mocks.Registered.Count(r => r.Type == TypeToken<ApiGateway.Method>()));
    }

    [Fact]
    public async Task The_resource_tree_is_built_from_the_route_table()
    {
        StackRun run = await RunAsync();
        IEnumerable<string> paths = run.OfType<ApiGateway.Resource>().Select(r => run.PathOf(IdOf(r)));
        Assert.Equal(RouteTable.PathTemplates.Order(), paths.Order());
    }

    [Fact]
    public async Task Routes_that_take_a_body_have_the_json_object_validator_and_model_before_the_function()
    {
        StackRun run = await RunAsync();
        Assert.Contains(RouteTable.All, r => r.RequiresJsonObjectBody); // POST and PUT today
        MockResourceArgs validator = run.Single<ApiGateway.RequestValidator>();
        Assert.Equal(true, Value(validator, "validateRequestBody"));
        MockResourceArgs model = run.Single<ApiGateway.Model>();
        Assert.Equal(OpenApiDocument.DocumentSchemaJson, Text(model, "schema"));

        foreach (MockResourceArgs method in run.OfType<ApiGateway.Method>())
        {
            bool needsBody = RouteTable.Find(Text(method, "httpMethod"), run.PathOf(Text(method, "resourceId")))?.RequiresJsonObjectBody ?? false;
            Assert.Equal(needsBody, method.Inputs.ContainsKey("requestValidatorId"));
            if (needsBody)
            {
                Assert.Equal(IdOf(validator), Text(method, "requestValidatorId"));
                Assert.Equal("ItemDocument", Map(method, "requestModels")["application/json"]);
            }
        }
        Assert.Equal(RouteTable.All.Count(r => r.RequiresJsonObjectBody), run.OfType<ApiGateway.Method>().Count(m => m.Inputs.ContainsKey("requestValidatorId")));
    }

    [Fact]
    public async Task The_openapi_export_lists_exactly_the_routes_the_stack_builds()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["corsAllowedOrigins"] = """["https://app.example.com"]""" });
        IEnumerable<string> built = run.OfType<ApiGateway.Method>().Where(m => Text(m, "httpMethod") != "OPTIONS")
            .Select(m => $"{Text(m, "httpMethod")} {run.PathOf(Text(m, "resourceId"))}");

        using JsonDocument openApi = JsonDocument.Parse(OpenApiDocument.ToJson(GatewayPolicy.For(StageSettings.Load(_ => null, "dev"))));
        IEnumerable<string> documented = openApi.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {path.Name}"));
        Assert.Equal(documented.Order(), built.Order());
    }

    [Fact]
    public async Task Cors_adds_keyless_options_methods_answered_without_lambda_and_origin_headers_on_gateway_errors()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["corsAllowedOrigins"] = """["https://app.example.com"]""" });

        var options = run.OfType<ApiGateway.Method>().Where(m => Text(m, "httpMethod") == "OPTIONS").ToList();
        Assert.Equal(RouteTable.PathTemplates.Order(), options.Select(m => run.PathOf(Text(m, "resourceId"))).Order());
        Assert.All(options, m => Assert.Equal(false, Value(m, "apiKeyRequired")));
        Assert.All(options, m => Assert.Equal("NONE", Text(m, "authorization")));
        var optionsIntegrations = run.OfType<ApiGateway.Integration>().Where(i => Text(i, "httpMethod") == "OPTIONS").ToList();
        Assert.Equal(options.Count, optionsIntegrations.Count);
        Assert.All(optionsIntegrations, i => Assert.Equal("MOCK", Text(i, "type"))); // PreflightTests: what the MOCK answers

        var gatewayResponses = run.OfType<ApiGateway.Response>();
        Assert.Equal(["DEFAULT_4XX", "DEFAULT_5XX"], gatewayResponses.Select(r => Text(r, "responseType")).Order());
        Assert.All(gatewayResponses, r => Assert.Equal("'https://app.example.com'", Map(r, "responseParameters")["gatewayresponse.header.Access-Control-Allow-Origin"]));

        MockResourceArgs function = run.Named<Lambda.Function>("items-function");
        var variables = (System.Collections.Immutable.ImmutableDictionary<string, object>)Map(function, "environment")["variables"];
        Assert.Equal("https://app.example.com", variables["CORS_ALLOWED_ORIGINS"]);
        Assert.Equal(CorsPolicy.BaseAllowedHeaders, variables["CORS_ALLOWED_HEADERS"]);
    }

    [Fact]
    public async Task With_several_origins_gateway_errors_echo_no_origin()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["corsAllowedOrigins"] = """["https://a.example.com","https://b.example.com"]""" });
        Assert.All(run.OfType<ApiGateway.Response>(), r =>
        {
            Assert.False(Map(r, "responseParameters").ContainsKey("gatewayresponse.header.Access-Control-Allow-Origin"));
            Assert.Equal("'Origin'", Map(r, "responseParameters")["gatewayresponse.header.Vary"]);
        });
    }

    [Fact]
    public async Task In_iam_mode_cors_allows_the_sigv4_headers()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["authMode"] = "iam", ["corsAllowedOrigins"] = """["*"]""" });
        var variables = (System.Collections.Immutable.ImmutableDictionary<string, object>)Map(run.Named<Lambda.Function>("items-function"), "environment")["variables"];
        Assert.Contains("X-Amz-Date", variables["CORS_ALLOWED_HEADERS"].ToString());
        Assert.Contains("X-Amz-Security-Token", variables["CORS_ALLOWED_HEADERS"].ToString());
    }

    [Fact]
    public async Task Without_cors_there_are_no_options_methods_but_the_gateway_responses_stay_so_turning_cors_off_deletes_nothing_live()
    {
        StackRun run = await RunAsync();
        Assert.DoesNotContain(run.OfType<ApiGateway.Method>(), m => Text(m, "httpMethod") == "OPTIONS");
        var gatewayResponses = run.OfType<ApiGateway.Response>();
        Assert.Equal(["DEFAULT_4XX", "DEFAULT_5XX"], gatewayResponses.Select(r => Text(r, "responseType")).Order());
        Assert.All(gatewayResponses, r => Assert.Empty(Map(r, "responseParameters")));
        Assert.All(gatewayResponses, r => Assert.Equal("{\"message\":$context.error.messageString}", Map(r, "responseTemplates")["application/json"]));
    }
}
