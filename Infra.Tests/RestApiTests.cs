using System.Text.Json;
using ItemsApi.Core.OpenApi;
using ItemsApi.Core.Routes;
using ItemsApi.Core.Settings;
using Pulumi.Testing;
using static ItemsApi.Infra.Tests.StackRun;

namespace ItemsApi.Infra.Tests;

/// <summary>The REST API the stack declares for the route table.</summary>
public class RestApiTests
{
    private const string Method = "aws:apigateway/method:Method";
    private const string Integration = "aws:apigateway/integration:Integration";
    private const string Permission = "aws:lambda/permission:Permission";

    [Fact]
    public async Task Every_route_has_a_keyed_method_a_proxy_integration_to_the_function_and_a_narrow_permission()
    {
        StackRun run = await RunAsync();
        MockResourceArgs restApi = run.Single("aws:apigateway/restApi:RestApi");
        MockResourceArgs function = run.Named("aws:lambda/function:Function", "items-function");
        string invokeArn = $"arn:aws:apigateway:{AwsMocks.Region}:lambda:path/2015-03-31/functions/arn:aws:lambda:{AwsMocks.Region}:{AwsMocks.Account}:function:items-api-dev-items/invocations";
        string executionArn = $"arn:aws:execute-api:{AwsMocks.Region}:{AwsMocks.Account}:{IdOf(restApi)}";

        foreach (Route route in RouteTable.All)
        {
            MockResourceArgs method = Assert.Single(run.OfType(Method), m =>
                Text(m, "httpMethod") == route.Method && run.PathOf(Text(m, "resourceId")) == route.PathTemplate);
            Assert.Equal(true, Value(method, "apiKeyRequired"));
            Assert.Equal("NONE", Text(method, "authorization"));

            MockResourceArgs integration = Assert.Single(run.OfType(Integration), i =>
                Text(i, "httpMethod") == route.Method && run.PathOf(Text(i, "resourceId")) == route.PathTemplate);
            Assert.Equal("AWS_PROXY", Text(integration, "type"));
            Assert.Equal("POST", Text(integration, "integrationHttpMethod"));
            Assert.Equal(invokeArn, Text(integration, "uri"));

            string path = route.PathTemplate.Replace("{id}", "*");
            MockResourceArgs permission = Assert.Single(run.OfType(Permission), p => Text(p, "sourceArn") == $"{executionArn}/*/{route.Method}{path}");
            Assert.Equal("apigateway.amazonaws.com", Text(permission, "principal"));
            Assert.Equal("lambda:InvokeFunction", Text(permission, "action"));
            Assert.Equal(Text(function, "name"), Text(permission, "function"));
        }
        Assert.Equal(RouteTable.All.Count, run.OfType(Method).Count);
        Assert.Equal(RouteTable.All.Count, run.OfType(Permission).Count);
        Assert.Equal("REGIONAL", Map(restApi, "endpointConfiguration")["types"]);
        Assert.Equal("HEADER", Text(restApi, "apiKeySource"));
    }

    [Fact]
    public async Task The_resource_tree_is_built_from_the_route_table()
    {
        StackRun run = await RunAsync();
        IEnumerable<string> paths = run.OfType("aws:apigateway/resource:Resource").Select(r => run.PathOf(IdOf(r)));
        Assert.Equal(RouteTable.PathTemplates.Order(), paths.Order());
    }

    [Fact]
    public async Task Post_and_put_have_the_json_object_validator_and_model_before_the_function()
    {
        StackRun run = await RunAsync();
        MockResourceArgs validator = run.Single("aws:apigateway/requestValidator:RequestValidator");
        Assert.Equal(true, Value(validator, "validateRequestBody"));
        MockResourceArgs model = run.Single("aws:apigateway/model:Model");
        Assert.Equal(OpenApiDocument.DocumentSchemaJson, Text(model, "schema"));

        foreach (MockResourceArgs method in run.OfType(Method))
        {
            bool needsBody = Text(method, "httpMethod") is "POST" or "PUT";
            Assert.Equal(needsBody, method.Inputs.ContainsKey("requestValidatorId"));
            if (needsBody)
            {
                Assert.Equal(IdOf(validator), Text(method, "requestValidatorId"));
                Assert.Equal("ItemDocument", Map(method, "requestModels")["application/json"]);
            }
        }
    }

    [Fact]
    public async Task The_openapi_export_lists_exactly_the_routes_the_stack_builds()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["corsAllowedOrigins"] = """["https://app.example.com"]""" });
        IEnumerable<string> built = run.OfType(Method).Where(m => Text(m, "httpMethod") != "OPTIONS")
            .Select(m => $"{Text(m, "httpMethod")} {run.PathOf(Text(m, "resourceId"))}");

        using JsonDocument openApi = JsonDocument.Parse(OpenApiDocument.ToJson());
        IEnumerable<string> documented = openApi.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {path.Name}"));
        Assert.Equal(documented.Order(), built.Order());
    }

    [Fact]
    public async Task Cors_adds_keyless_options_and_origin_headers_on_gateway_errors()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["corsAllowedOrigins"] = """["https://app.example.com"]""" });

        var options = run.OfType(Method).Where(m => Text(m, "httpMethod") == "OPTIONS").ToList();
        Assert.Equal(RouteTable.PathTemplates.Order(), options.Select(m => run.PathOf(Text(m, "resourceId"))).Order());
        Assert.All(options, m => Assert.Equal(false, Value(m, "apiKeyRequired")));
        Assert.All(options, m => Assert.Equal("NONE", Text(m, "authorization")));

        MockResourceArgs itemOptions = Assert.Single(run.OfType("aws:apigateway/integrationResponse:IntegrationResponse"),
            r => run.PathOf(Text(r, "resourceId")) == "/items/{id}");
        Assert.Equal("'GET,PUT,DELETE,OPTIONS'", Map(itemOptions, "responseParameters")["method.response.header.Access-Control-Allow-Methods"]);
        Assert.Contains("https://app.example.com", Map(itemOptions, "responseTemplates")["application/json"].ToString());

        var gatewayResponses = run.OfType("aws:apigateway/response:Response");
        Assert.Equal(["DEFAULT_4XX", "DEFAULT_5XX"], gatewayResponses.Select(r => Text(r, "responseType")).Order());
        Assert.All(gatewayResponses, r => Assert.Equal("'https://app.example.com'", Map(r, "responseParameters")["gatewayresponse.header.Access-Control-Allow-Origin"]));

        MockResourceArgs function = run.Named("aws:lambda/function:Function", "items-function");
        var variables = (System.Collections.Immutable.ImmutableDictionary<string, object>)Map(function, "environment")["variables"];
        Assert.Equal("https://app.example.com", variables["CORS_ALLOWED_ORIGINS"]);
    }

    [Fact]
    public async Task Without_cors_there_are_no_options_methods_or_gateway_responses()
    {
        StackRun run = await RunAsync();
        Assert.DoesNotContain(run.OfType(Method), m => Text(m, "httpMethod") == "OPTIONS");
        Assert.Empty(run.OfType("aws:apigateway/response:Response"));
    }
}
