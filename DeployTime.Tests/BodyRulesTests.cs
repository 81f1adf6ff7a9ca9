using System.Text.Json.Nodes;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.DeployTime.OpenApi;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Tests;

/// <summary>
/// The OpenAPI document says what a POST or PUT body must be, as the function answers it (Core.Tests/BodyRulesTests):
/// sent as application/json, at most 64 levels deep, each name once per object.
/// </summary>
public sealed class BodyRulesTests
{
    [Fact]
    public void The_openapi_document_declares_the_415_and_the_etag_and_location_headers()
    {
        JsonObject document = OpenApiDocument.Build(GatewayPolicy.For(StageSettings.Load(_ => null, "test")));
        JsonNode paths = document["paths"]!;
        foreach ((string path, string method) in new[] { ("/items", "post"), ("/items/{id}", "put") })
            Assert.Equal("#/components/responses/Error415", (string?)paths[path]![method]!["responses"]!["415"]!["$ref"]);

        JsonNode Headers(string path, string method, string status) => paths[path]![method]!["responses"]![status]!["headers"]!;
        Assert.Equal(["ETag", "Location"], Headers("/items", "post", "201").AsObject().Select(h => h.Key).Order());
        Assert.Equal(["ETag"], Headers("/items/{id}", "get", "200").AsObject().Select(h => h.Key));
        Assert.Equal(["ETag"], Headers("/items/{id}", "put", "200").AsObject().Select(h => h.Key));
        Assert.Null(paths["/items"]!["get"]!["responses"]!["200"]!["headers"]);
        Assert.Null(paths["/items/{id}"]!["delete"]!["responses"]!["204"]!["headers"]);
        Assert.Equal("string", (string?)document["components"]!["headers"]!["ETag"]!["schema"]!["type"]);
        Assert.Null(document["servers"]);
        string documentRule = (string)document["components"]!["schemas"]!["ItemDocument"]!["description"]!;
        Assert.Contains("sent as application/json, at most 64 levels deep", documentRule);
        Assert.Contains("each property name once per object", documentRule);
    }

    [Fact]
    public void The_deployed_server_entry_has_the_execute_api_url_with_variables_to_fill_in()
    {
        JsonObject server = OpenApiDocument.DeployedServer("prod", "eu-central-1");
        Assert.Equal("https://{restApiId}.execute-api.{region}.amazonaws.com/{stage}", (string?)server["url"]);
        Assert.Equal("eu-central-1", (string?)server["variables"]!["region"]!["default"]);
        Assert.Equal("prod", (string?)server["variables"]!["stage"]!["default"]);
        Assert.NotNull(server["variables"]!["restApiId"]!["default"]);
        // Every variable in the template has a default (OpenAPI 3.0.3, Server Variable Object: default is REQUIRED),
        // and the defaults make a URL of the right shape; each says where its real value comes from.
        string url = (string)server["url"]!;
        foreach ((string name, JsonNode? variable) in server["variables"]!.AsObject())
            url = url.Replace("{" + name + "}", (string)variable!["default"]!, StringComparison.Ordinal);
        Assert.Equal("https://restApiId.execute-api.eu-central-1.amazonaws.com/prod", url);
        Assert.Equal(["pulumi stack output apiId", "the stack's aws:region", "pulumi stack output stageName"],
            server["variables"]!.AsObject().Select(v => (string)v.Value!["description"]!));
        Assert.Equal("A deployed stage; `pulumi stack output apiId` gives restApiId (with a custom domain, use `pulumi stack output url` instead)",
            (string?)server["description"]);
        JsonObject document = OpenApiDocument.Build(GatewayPolicy.For(StageSettings.Load(_ => null, "prod")), server);
        Assert.Same(server, document["servers"]![0]);
    }
}
