using System.Text.Json;
using ItemsApi.DeployTime.OpenApi;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Settings;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.Core.Http;
using System.Collections.Immutable;
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

        Dictionary<string, ApiGateway.Method> methods = await ByRouteAsync(run, run.OfType<ApiGateway.Method>(), m => (m.HttpMethod, m.ResourceId));
        Dictionary<string, ApiGateway.Integration> integrations = await ByRouteAsync(run, run.OfType<ApiGateway.Integration>(), i => (i.HttpMethod, i.ResourceId));
        Assert.Equal(RouteTable.All.Select(r => r.ToString()).Order(), methods.Keys.Order());
        Assert.Equal(RouteTable.All.Select(r => r.ToString()).Order(), integrations.Keys.Order());
        foreach (Route route in RouteTable.All)
        {
            ApiGateway.Method method = methods[route.ToString()];
            Assert.Equal(true, await method.ApiKeyRequired.GetValueAsync());
            Assert.Equal("NONE", await method.Authorization.GetValueAsync());

            ApiGateway.Integration integration = integrations[route.ToString()];
            Assert.Equal("AWS_PROXY", await integration.Type.GetValueAsync());
            Assert.Equal("POST", await integration.IntegrationHttpMethod.GetValueAsync());
            Assert.Equal(invokeArn, await integration.Uri.GetValueAsync());
            // Explicit, and above the function's longest timeout (28 s), so the gateway never gives up first.
            Assert.Equal(29_000, await integration.TimeoutMilliseconds.GetValueAsync());
        }
        ApiGateway.RestApi restApi = run.Single<ApiGateway.RestApi>();
        Assert.Equal("REGIONAL", (await restApi.EndpointConfiguration.GetValueAsync()).Types);
        Assert.Equal("HEADER", await restApi.ApiKeySource.GetValueAsync());
        Assert.False(await restApi.DisableExecuteApiEndpoint.GetValueAsync());
    }

    /// <summary>Methods or integrations by the route they serve ("GET /items/{id}"); fails when two serve one route.</summary>
    private static async Task<Dictionary<string, T>> ByRouteAsync<T>(StackRun run, IEnumerable<T> resources, Func<T, (Pulumi.Output<string> HttpMethod, Pulumi.Output<string> ResourceId)> route)
    {
        var byRoute = new Dictionary<string, T>();
        foreach (T resource in resources)
        {
            (Pulumi.Output<string> httpMethod, Pulumi.Output<string> resourceId) = route(resource);
            byRoute.Add(await run.RouteOfAsync(httpMethod, resourceId), resource);
        }
        return byRoute;
    }

    [Fact]
    public async Task One_permission_lets_any_method_of_this_api_reach_the_function_so_a_stale_route_gets_a_json_4xx()
    {
        // Pulumi deletes removed resources after all creates and updates, so a new deployment still snapshots a
        // removed route's method. With a per-route permission deleted at the end, that route would answer 500;
        // with one API-wide permission the function answers it from its own route table (404/405 JSON).
        StackRun run = await RunAsync();
        ApiGateway.RestApi restApi = run.Single<ApiGateway.RestApi>();
        Lambda.Permission permission = run.Single<Lambda.Permission>();
        Assert.Equal($"arn:aws:execute-api:{AwsMocks.Region}:{AwsMocks.Account}:{IdOf(restApi)}/*/*/*", await permission.SourceArn.GetValueAsync());
        Assert.Equal("apigateway.amazonaws.com", await permission.Principal.GetValueAsync());
        Assert.Equal("lambda:InvokeFunction", await permission.Action.GetValueAsync());
        Assert.Equal("items-api-dev-items", await permission.Function.GetValueAsync());
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
        (ImmutableArray<Pulumi.Resource> resources, _) = await Pulumi.Deployment.TestAsync(mocks, new TestOptions { ProjectName = ConfigKeys.Project, StackName = "dev", IsPreview = false }, () =>
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
        var statements = new List<object>();
        foreach (Lambda.Permission p in resources.OfType<Lambda.Permission>())
            statements.Add(new
            {
                Sid = p.GetResourceName(), Effect = "Allow", Principal = new { Service = await p.Principal.GetValueAsync() }, Action = await p.Action.GetValueAsync(),
                Resource = functionArn, Condition = new { ArnLike = new Dictionary<string, string> { ["AWS:SourceArn"] = await p.SourceArn.GetDeclaredAsync() } },
            });
        Assert.NotEmpty(statements);
        string policy = JsonSerializer.Serialize(new { Version = "2012-10-17", Id = "default", Statement = statements });
        Assert.True(policy.Length < 20 * 1024, $"resource policy is {policy.Length} bytes");
        Assert.Equal(300, resources.OfType<ApiGateway.Method>().Count());
    }

    [Fact]
    public async Task The_resource_tree_is_built_from_the_route_table()
    {
        StackRun run = await RunAsync();
        var paths = new List<string>();
        foreach (ApiGateway.Resource resource in run.OfType<ApiGateway.Resource>()) paths.Add(await run.PathOfAsync(IdOf(resource)));
        Assert.Equal(RouteTable.PathTemplates.Order(), paths.Order());
    }

    [Fact]
    public async Task Routes_that_take_a_body_have_the_json_object_validator_and_model_before_the_function()
    {
        StackRun run = await RunAsync();
        Assert.Contains(RouteTable.All, r => r.RequiresJsonObjectBody); // POST and PUT today
        ApiGateway.RequestValidator validator = run.Single<ApiGateway.RequestValidator>();
        Assert.Equal(true, await validator.ValidateRequestBody.GetValueAsync());
        ApiGateway.Model model = run.Single<ApiGateway.Model>();
        Assert.Equal(OpenApiDocument.DocumentSchemaJson, await model.Schema.GetValueAsync());

        int validated = 0;
        Assert.NotEmpty(run.OfType<ApiGateway.Method>());
        foreach (ApiGateway.Method method in run.OfType<ApiGateway.Method>())
        {
            bool needsBody = RouteTable.Find(await method.HttpMethod.GetValueAsync(), await run.PathOfAsync(await method.ResourceId.GetValueAsync()))?.RequiresJsonObjectBody ?? false;
            string? validatorId = await method.RequestValidatorId.GetValueAsync();
            if (validatorId is not null) validated++;
            Assert.Equal(needsBody ? IdOf(validator) : null, validatorId);
            ImmutableDictionary<string, string>? models = await method.RequestModels.GetValueAsync();
            if (needsBody) Assert.Equal(new Dictionary<string, string> { ["application/json"] = "ItemDocument" }, models);
            else Assert.Null(models);
        }
        Assert.Equal(RouteTable.All.Count(r => r.RequiresJsonObjectBody), validated);
    }

    [Fact]
    public async Task The_openapi_export_lists_exactly_the_routes_the_stack_builds()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["corsAllowedOrigins"] = """["https://app.example.com"]""" });
        var built = new List<string>();
        foreach (ApiGateway.Method m in run.OfType<ApiGateway.Method>()) built.Add(await run.RouteOfAsync(m.HttpMethod, m.ResourceId));
        built.RemoveAll(route => route.StartsWith("OPTIONS ", StringComparison.Ordinal));

        using JsonDocument openApi = JsonDocument.Parse(OpenApiDocument.ToJson(GatewayPolicy.For(StageSettings.Load(_ => null, "dev"))));
        IEnumerable<string> documented = openApi.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {path.Name}"));
        Assert.Equal(documented.Order(), built.Order());
    }

    [Fact]
    public async Task Cors_adds_keyless_options_methods_answered_without_lambda_and_origin_headers_on_gateway_errors()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["corsAllowedOrigins"] = """["https://app.example.com"]""" });

        var optionsPaths = new List<string>();
        foreach (ApiGateway.Method m in run.OfType<ApiGateway.Method>())
        {
            if (await m.HttpMethod.GetValueAsync() != "OPTIONS") continue;
            optionsPaths.Add(await run.PathOfAsync(await m.ResourceId.GetValueAsync()));
            Assert.Equal(false, await m.ApiKeyRequired.GetValueAsync());
            Assert.Equal("NONE", await m.Authorization.GetValueAsync());
        }
        Assert.Equal(RouteTable.PathTemplates.Order(), optionsPaths.Order());
        var optionsIntegrationTypes = new List<string>();
        foreach (ApiGateway.Integration i in run.OfType<ApiGateway.Integration>())
            if (await i.HttpMethod.GetValueAsync() == "OPTIONS") optionsIntegrationTypes.Add(await i.Type.GetValueAsync());
        // PreflightTests: what the MOCK answers.
        Assert.Equal(optionsPaths.Select(_ => "MOCK"), optionsIntegrationTypes);

        IReadOnlyList<ApiGateway.Response> gatewayResponses = run.OfType<ApiGateway.Response>();
        Assert.Equal(["DEFAULT_4XX", "DEFAULT_5XX"], (await Task.WhenAll(gatewayResponses.Select(r => r.ResponseType.GetValueAsync()))).Order());
        foreach (ApiGateway.Response r in gatewayResponses)
            Assert.Equal("'https://app.example.com'", (await r.ResponseParameters.GetValueAsync())["gatewayresponse.header.Access-Control-Allow-Origin"]);

        ImmutableDictionary<string, string> variables = await AccessAndDataTests.VariablesAsync(run.Named<Lambda.Function>("items-function"));
        Assert.Equal("https://app.example.com", variables["CORS_ALLOWED_ORIGINS"]);
        Assert.Equal(CorsPolicy.BaseAllowedHeaders, variables["CORS_ALLOWED_HEADERS"]);
    }

    [Fact]
    public async Task With_several_origins_gateway_errors_echo_no_origin()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["corsAllowedOrigins"] = """["https://a.example.com","https://b.example.com"]""" });
        Assert.Equal(2, run.OfType<ApiGateway.Response>().Count);
        foreach (ApiGateway.Response r in run.OfType<ApiGateway.Response>())
        {
            ImmutableDictionary<string, string> parameters = await r.ResponseParameters.GetValueAsync();
            Assert.Equal(["gatewayresponse.header.Vary"], parameters.Keys); // no Access-Control-Allow-Origin
            Assert.Equal("'Origin'", parameters["gatewayresponse.header.Vary"]);
        }
    }

    [Fact]
    public async Task In_iam_mode_cors_allows_the_sigv4_headers()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["authMode"] = "iam", ["corsAllowedOrigins"] = """["*"]""" });
        ImmutableDictionary<string, string> variables = await AccessAndDataTests.VariablesAsync(run.Named<Lambda.Function>("items-function"));
        Assert.Contains("X-Amz-Date", variables["CORS_ALLOWED_HEADERS"]);
        Assert.Contains("X-Amz-Security-Token", variables["CORS_ALLOWED_HEADERS"]);
    }

    [Fact]
    public async Task Without_cors_there_are_no_options_methods_but_the_gateway_responses_stay_so_turning_cors_off_deletes_nothing_live()
    {
        StackRun run = await RunAsync();
        Assert.DoesNotContain("OPTIONS", await Task.WhenAll(run.OfType<ApiGateway.Method>().Select(m => m.HttpMethod.GetValueAsync())));
        IReadOnlyList<ApiGateway.Response> gatewayResponses = run.OfType<ApiGateway.Response>();
        Assert.Equal(["DEFAULT_4XX", "DEFAULT_5XX"], (await Task.WhenAll(gatewayResponses.Select(r => r.ResponseType.GetValueAsync()))).Order());
        foreach (ApiGateway.Response r in gatewayResponses)
        {
            Assert.Empty(await r.ResponseParameters.GetValueAsync() ?? []);
            Assert.Equal("{\"message\":$context.error.messageString}", (await r.ResponseTemplates.GetValueAsync())["application/json"]);
        }
    }
}
