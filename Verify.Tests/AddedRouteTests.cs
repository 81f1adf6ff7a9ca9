using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.DeployTime.OpenApi;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.Verify.Tests;

/// <summary>
/// The README's "Add a route": a row added to the table, here in memory (<c>PATCH /items/{id}/added-by-a-test</c>,
/// replacing the item as PUT does, on a path no real route will have), reaches the stack's API definition, the local
/// stage, the OpenAPI document and verify's gateway checks with no change to any of them.
/// </summary>
public sealed class AddedRouteTests
{
    private const string AddedPath = RouteTable.ItemPath + "/added-by-a-test";

    private static readonly Route Added = RouteTable.Find("PUT", RouteTable.ItemPath)! with
    {
        Method = "PATCH", PathTemplate = AddedPath, OperationId = "addedByATest", Summary = "Replace an item's document, as PATCH (a row this test adds)",
    };

    private static readonly IReadOnlyList<Route> WithAdded = [.. RouteTable.All, Added];

    private static StageSettings Settings(params (string Key, string Value)[] values) =>
        StageSettings.Load(key => values.FirstOrDefault(v => v.Key == key).Value, "dev");

    [Fact]
    public void The_stacks_api_definition_declares_the_new_method_with_the_rows_key_and_body_rules_and_redeploys()
    {
        StageSettings settings = Settings(("corsAllowedOrigins", "https://app.example.com"));
        ApiDefinition before = ApiDefinition.For(settings, GatewayPolicy.For(settings), RouteTable.All);
        ApiDefinition after = ApiDefinition.For(settings, GatewayPolicy.For(settings), WithAdded);

        Assert.Equal(new ApiDefinition.RouteMethod("PATCH", AddedPath, RequiresApiKey: true, RequiresJsonObjectBody: true), after.Routes[^1]);
        Assert.Equal(before.Routes, after.Routes.SkipLast(1));
        Assert.Equal([.. before.ResourcePaths, AddedPath], after.ResourcePaths); // its resource, under /items/{id}
        Assert.Equal([.. before.CorsPreflightPaths, AddedPath], after.CorsPreflightPaths);
        Assert.True(after.ValidatesBodies);
        Assert.NotEqual(before.Fingerprint, after.Fingerprint); // so the stage is redeployed with it
    }

    [Fact]
    public void The_openapi_document_has_the_new_operation_as_the_row_says()
    {
        GatewayPolicy policy = GatewayPolicy.For(Settings());
        JsonNode operation = OpenApiDocument.Build(policy, routes: WithAdded)["paths"]![AddedPath]!["patch"]!;

        Assert.Equal("addedByATest", operation["operationId"]!.GetValue<string>());
        Assert.Equal(Added.Summary, operation["summary"]!.GetValue<string>());
        Assert.Equal(Added.Parameters.Select(p => p.Name), operation["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal("#/components/schemas/ItemDocument", operation["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal(Added.ErrorStatuses.Union(policy.GatewayStatuses(Added)).Append(Added.SuccessStatus).Order().Select(s => s.ToString()),
            operation["responses"]!.AsObject().Select(r => r.Key).Order());
        Assert.Null(OpenApiDocument.Build(policy)["paths"]![AddedPath]);
    }

    [Fact]
    public async Task The_local_stage_serves_it_behind_the_key_validation_and_cors_and_documents_it()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync(routes: WithAdded);
        await using LocalStage without = await LocalStage.StartDevAsync();
        using var http = new HttpClient();
        var created = await stage.Store.CreateAsync("""{"name":"before"}""");
        string url = $"{stage.ItemsUrl}/{created.Id}/added-by-a-test";

        Task<HttpResponseMessage> SendAsync(string? key, string body, string? ifMatch = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (key is not null) request.Headers.Add("x-api-key", key);
            if (ifMatch is not null) request.Headers.Add("If-Match", ifMatch);
            return http.SendAsync(request);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(key: null, """{"name":"x"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(LocalStage.ApiKey, "[1]")).StatusCode);
        HttpResponseMessage patched = await SendAsync(LocalStage.ApiKey, """{"name":"after"}""", ifMatch: created.ETag);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode); // the row's action: the item replaced
        Assert.Equal("after", JsonDocument.Parse(await patched.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal([$"PATCH {AddedPath} 403", $"PATCH {AddedPath} 400", $"PATCH {AddedPath} 200"],
            stage.AccessLog().Select(l => $"{l.GetProperty("httpMethod").GetString()} {l.GetProperty("resourcePath").GetString()} {l.GetProperty("status").GetString()}"));

        var preflight = new HttpRequestMessage(HttpMethod.Options, url) { Headers = { { "Origin", LocalStage.DevOrigin }, { "Access-Control-Request-Method", "PATCH" } } };
        Assert.Equal("PATCH,OPTIONS", (await http.SendAsync(preflight)).Headers.GetValues("Access-Control-Allow-Methods").Single());
        JsonNode document = JsonNode.Parse(await http.GetStringAsync(stage.Gateway.BaseUrl + "openapi.json"))!;
        Assert.NotNull(document["paths"]![AddedPath]!["patch"]);

        // The same stage without the row: no such method, API Gateway's answer.
        var request = new HttpRequestMessage(HttpMethod.Patch, $"{without.ItemsUrl}/{created.Id}/added-by-a-test") { Headers = { { "x-api-key", LocalStage.ApiKey } } };
        HttpResponseMessage missing = await http.SendAsync(request);
        Assert.Equal(GatewayAnswer.MissingAuthenticationToken.Body, await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Verify_checks_it_on_a_stage_that_has_it_and_fails_a_stage_that_does_not()
    {
        using var http = new HttpClient();
        await using (LocalStage stage = await LocalStage.StartDevAsync(new() { ["authMode"] = "apiKey+authorizer" }, routes: WithAdded))
        {
            ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options());

            Assert.True(report.Passed, StageContractTests.Describe(report));
            Assert.EndsWith($", PATCH {AddedPath}", report.Find(CheckNames.NoApiKey)!.Detail);
            Assert.EndsWith($", PATCH {AddedPath}", report.Find(CheckNames.NoBearerToken)!.Detail);
            Assert.EndsWith($", PATCH {AddedPath}", report.Find(CheckNames.NotAnObject)!.Detail);
            Assert.Equal(StageContractTests.DevRequests(WithAdded, authorizer: true), report.RequestsSent);
            Assert.Equal(StageContractTests.DevRequests(authorizer: true) + 4, report.RequestsSent); // no key, no token, two bad bodies
            Assert.Equal(4, stage.AccessLog().Count(l => l.GetProperty("resourcePath").GetString() == AddedPath));
        }

        // A stage deployed without the route: each of its checks on the new row gets "Missing Authentication Token".
        await using LocalStage old = await LocalStage.StartDevAsync();
        ContractReport failed = await StageContract.RunAsync(old.Target() with { Routes = WithAdded }, http, old.Options());

        Assert.Equal([CheckNames.InvalidJson, CheckNames.NotAnObject, CheckNames.NoApiKey], failed.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Name));
        Assert.StartsWith($"PATCH {AddedPath}: the message is \"Missing Authentication Token\", expected \"Forbidden\"", failed.Find(CheckNames.NoApiKey)!.Detail);
    }
}
