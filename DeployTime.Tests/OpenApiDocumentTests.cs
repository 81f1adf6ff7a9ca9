using System.Text.Json;
using System.Text.Json.Nodes;
using ItemsApi.Core.Auth;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.Core.Http;
using ItemsApi.Core.Items;
using ItemsApi.DeployTime.OpenApi;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Tests;

/// <summary>
/// The OpenAPI document clients generate code from: every reference resolves, each operation carries its row's
/// parameters and constraints, and the schemas describe the JSON the handler actually writes.
/// (<see cref="RouteContractTests"/> checks each operation's statuses and body shapes against its row.)
/// </summary>
public sealed class OpenApiDocumentTests
{
    private static GatewayPolicy Policy(params (string Key, string Value)[] values) =>
        GatewayPolicy.For(StageSettings.Load(key => values.FirstOrDefault(v => v.Key == key).Value, "dev"));

    // Built per test, not cached in a static field: a cached document would hide a change to the code that builds it
    // from every test but the first (Stryker runs each mutant in the same test host).
    private static JsonObject Document => OpenApiDocument.Build(Policy());

    private static void SameJson(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\nbut got {actual.ToJsonString()}");

    private static JsonNode Operation(Route route) => Document["paths"]![route.PathTemplate]![route.Method.ToLowerInvariant()]!;

    [Fact]
    public void Every_reference_resolves_to_a_component()
    {
        var references = new List<string>();
        void Walk(JsonNode? node)
        {
            if (node is JsonObject obj)
                foreach ((string name, JsonNode? child) in obj)
                    if (name == "$ref") references.Add(child!.GetValue<string>());
                    else Walk(child);
            if (node is JsonArray array) foreach (JsonNode? child in array) Walk(child);
        }
        Walk(Document);

        Assert.True(references.Count > 20, $"only {references.Count} references");
        foreach (string reference in references)
        {
            Assert.StartsWith("#/components/", reference);
            JsonNode? target = Document;
            foreach (string part in reference[2..].Split('/')) target = target?[part];
            Assert.True(target is JsonObject, $"{reference} does not resolve");
        }
        Assert.Contains("#/components/schemas/Error", references);
        Assert.Contains("#/components/schemas/ItemDocument", references);
    }

    [Fact]
    public void Operations_are_named_after_their_actions_and_summarised_by_their_rows()
    {
        // createItem, listItems, ...: the action in camelCase, once each.
        Assert.Equal(RouteTable.All.Select(route => char.ToLowerInvariant(route.Action.ToString()[0]) + route.Action.ToString()[1..]),
            RouteTable.All.Select(route => Operation(route)["operationId"]!.GetValue<string>()));
        Assert.Contains("createItem", RouteTable.All.Select(route => Operation(route)["operationId"]!.GetValue<string>()));
        Assert.Equal(RouteTable.All.Count, RouteTable.All.Select(route => Operation(route)["operationId"]!.GetValue<string>()).Distinct().Count());
        Assert.All(RouteTable.All, route => Assert.Equal(route.Summary, Operation(route)["summary"]!.GetValue<string>()));
        Assert.All(RouteTable.All, route => Assert.Equal(route.SuccessDescription,
            Operation(route)["responses"]![route.SuccessStatus.ToString()]!["description"]!.GetValue<string>()));
    }

    [Fact]
    public void Parameters_carry_their_rows_description_type_and_constraints()
    {
        Assert.Contains(RouteTable.All, route => route.Parameters.Count > 0);
        foreach (Route route in RouteTable.All)
        {
            // Zip stops at the shorter list: the same count first, so a parameter missing from the document fails.
            Assert.Equal(route.Parameters.Count, Operation(route)["parameters"]?.AsArray().Count ?? 0);
            foreach ((RouteParameter row, JsonNode? parameter) in route.Parameters.Zip(Operation(route)["parameters"]?.AsArray() ?? []))
            {
                Assert.Equal(row.Description, parameter!["description"]!.GetValue<string>());
                JsonNode schema = parameter["schema"]!;
                Assert.Equal(row.Type, schema["type"]!.GetValue<string>());
                Assert.Equal(row.Pattern, schema["pattern"]?.GetValue<string>());
                Assert.Equal(row.Minimum, schema["minimum"]?.GetValue<int>());
                Assert.Equal(row.Maximum, schema["maximum"]?.GetValue<int>());
                Assert.Equal(row.Default, schema["default"]?.GetValue<int>());
            }
        }
        // The page size as a client generator sees it.
        JsonNode limit = Operation(RouteTable.Find("GET", RouteTable.ItemsPath)!)["parameters"]![0]!;
        Assert.Equal("""{"name":"limit","in":"query","required":false,"description":"Items per page","schema":{"type":"integer","minimum":1,"maximum":100,"default":25}}""",
            limit.ToJsonString());
        JsonNode id = Operation(RouteTable.Find("GET", RouteTable.ItemPath)!)["parameters"]![0]!;
        Assert.Equal("path", id["in"]!.GetValue<string>());
        Assert.Equal(ItemId.Pattern, id["schema"]!["pattern"]!.GetValue<string>());
    }

    [Fact]
    public void An_operation_without_parameters_has_no_parameter_list_and_responses_are_in_status_order()
    {
        // Every row of the table has a parameter now (the create takes Idempotency-Key): a row without any, added for the test.
        Route bare = RouteTable.Find("POST", RouteTable.ItemsPath)! with { Parameters = [] };
        JsonNode bareOperation = OpenApiDocument.Build(Policy(), routes: [bare])["paths"]![bare.PathTemplate]!["post"]!;
        Assert.Null(bareOperation["parameters"]);
        Assert.NotNull(Operation(RouteTable.Find("POST", RouteTable.ItemsPath)!)["parameters"]);
        Assert.All(RouteTable.All, route =>
        {
            int[] statuses = Operation(route)["responses"]!.AsObject().Select(r => int.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(statuses.Order(), statuses);
        });
    }

    [Fact]
    public void The_create_takes_an_optional_idempotency_key_and_every_operation_may_answer_503_with_retry_after()
    {
        JsonNode create = Operation(RouteTable.Find("POST", RouteTable.ItemsPath)!);
        JsonNode key = Assert.Single(create["parameters"]!.AsArray())!;
        Assert.Equal(("Idempotency-Key", "header", false, IdempotencyKey.Pattern),
            (key["name"]!.GetValue<string>(), key["in"]!.GetValue<string>(), key["required"]!.GetValue<bool>(), key["schema"]!["pattern"]!.GetValue<string>()));
        Assert.Equal("""{"$ref":"#/components/responses/Error409"}""", create["responses"]!["409"]!.ToJsonString());
        Assert.Equal("""{"$ref":"#/components/responses/Error422"}""", create["responses"]!["422"]!.ToJsonString());
        Assert.All(RouteTable.All, route => Assert.Equal("""{"$ref":"#/components/responses/Error503"}""", Operation(route)["responses"]!["503"]!.ToJsonString()));

        JsonNode components = Document["components"]!;
        foreach (string status in new[] { "Error409", "Error503" })
            Assert.Equal("""{"Retry-After":{"$ref":"#/components/headers/Retry-After"}}""", components["responses"]![status]!["headers"]!.ToJsonString());
        Assert.Null(components["responses"]!["Error422"]!["headers"]);
        Assert.Equal("""{"description":"Seconds to wait before retrying the same request.","required":true,"schema":{"type":"integer","minimum":1}}""",
            components["headers"]!["Retry-After"]!.ToJsonString());
    }

    [Fact]
    public void Success_responses_refer_to_the_etag_and_location_headers_which_say_how_to_use_them()
    {
        JsonNode created = Operation(RouteTable.Find("POST", RouteTable.ItemsPath)!)["responses"]!["201"]!;
        Assert.Equal("""{"ETag":{"$ref":"#/components/headers/ETag"},"Location":{"$ref":"#/components/headers/Location"}}""", created["headers"]!.ToJsonString());
        JsonNode read = Operation(RouteTable.Find("GET", RouteTable.ItemPath)!)["responses"]!["200"]!;
        Assert.Equal("""{"ETag":{"$ref":"#/components/headers/ETag"}}""", read["headers"]!.ToJsonString());

        JsonNode headers = Document["components"]!["headers"]!;
        SameJson("""{"description":"The item's version as a quoted string, e.g. \"3\"; send it back in If-Match. Compare it as an opaque string.","required":true,"schema":{"type":"string"}}""",
            headers["ETag"]!);
        SameJson("""{"description":"The new item's path, stage included, e.g. /dev/items/01JD...","required":true,"schema":{"type":"string"}}""",
            headers["Location"]!);
    }

    [Fact]
    public void With_an_authorizer_every_call_needs_the_key_and_a_bearer_token()
    {
        JsonObject document = OpenApiDocument.Build(Policy(("authMode", "apiKey+authorizer"), ("authorizerTokenHashes", BearerTokenAuthorizer.HashToken("t"))));
        Assert.Equal("""[{"apiKey":[],"bearer":[]}]""", document["security"]!.ToJsonString());
        SameJson("""{"type":"http","scheme":"bearer","description":"A token whose SHA-256 is one of the stage's authorizerTokenHashes (authMode apiKey+authorizer)."}""",
            document["components"]!["securitySchemes"]!["bearer"]!);
    }

    [Fact]
    public void A_request_body_is_a_required_json_item_document()
    {
        JsonNode body = Operation(RouteTable.Find("POST", RouteTable.ItemsPath)!)["requestBody"]!;
        Assert.Equal("""{"required":true,"content":{"application/json":{"schema":{"$ref":"#/components/schemas/ItemDocument"}}}}""", body.ToJsonString());
        Assert.Equal("object", Document["components"]!["schemas"]!["ItemDocument"]!["type"]!.GetValue<string>());
        Assert.Equal("Any JSON object, sent as application/json, at most 64 levels deep and 350000 bytes, with each property name once per object "
            + "(a repeated name is refused with 400: RFC 8259 allows it, but parsers disagree on which value wins); stored as sent.",
            Document["components"]!["schemas"]!["ItemDocument"]!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_item_page_and_error_schemas_describe_what_the_handler_writes()
    {
        var api = new ApiClient(new ItemsApiHandler(new InMemoryItemStore(TimeProvider.System), CorsPolicy.Disabled));
        JsonElement item = await api.CreateAsync("""{"a":1}""");
        JsonElement page = ApiClient.Json(await api.SendAsync("GET", "/items"));
        JsonElement error = ApiClient.Json(await api.SendAsync("GET", "/items/01ARZ3NDEKTSV4RRFFQ69G5FAV"));
        JsonNode schemas = Document["components"]!["schemas"]!;

        void Describes(string schema, JsonElement json, string[] required)
        {
            Assert.Equal("object", schemas[schema]!["type"]!.GetValue<string>());
            Assert.Equal(json.EnumerateObject().Select(p => p.Name), schemas[schema]!["properties"]!.AsObject().Select(p => p.Key));
            Assert.Equal(required, schemas[schema]!["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        }
        Describes("Item", item, ["id", "version", "createdAt", "updatedAt", "data"]);
        Describes("ItemPage", page, ["items", "nextToken"]);
        Describes("Error", error, ["message"]);

        JsonNode properties = schemas["Item"]!["properties"]!;
        Assert.Matches(properties["id"]!["pattern"]!.GetValue<string>(), item.GetProperty("id").GetString()!);
        Assert.Equal(new JsonObject { ["type"] = "string", ["description"] = "ULID, time-ordered", ["pattern"] = ItemId.Pattern }.ToJsonString(),
            properties["id"]!.ToJsonString());
        Assert.Equal("""{"type":"integer","minimum":1}""", properties["version"]!.ToJsonString());
        Assert.Equal("""{"type":"string","format":"date-time"}""", properties["createdAt"]!.ToJsonString());
        Assert.Equal("""{"type":"string","format":"date-time"}""", properties["updatedAt"]!.ToJsonString());
        Assert.Equal("""{"$ref":"#/components/schemas/ItemDocument"}""", properties["data"]!.ToJsonString());
        Assert.Equal("""{"type":"array","items":{"$ref":"#/components/schemas/Item"}}""", schemas["ItemPage"]!["properties"]!["items"]!.ToJsonString());
        Assert.Equal("""{"type":"string","nullable":true}""", schemas["ItemPage"]!["properties"]!["nextToken"]!.ToJsonString());
        Assert.Equal("""{"message":{"type":"string"},"requestId":{"type":"string"}}""", schemas["Error"]!["properties"]!.ToJsonString());
    }

    [Fact]
    public void Error_responses_are_described_for_every_status_used_and_401_only_with_an_authorizer()
    {
        JsonObject responses = Document["components"]!["responses"]!.AsObject();
        Assert.Equal(["Error400", "Error403", "Error404", "Error409", "Error412", "Error413", "Error415", "Error422", "Error428", "Error429", "Error500", "Error503"],
            responses.Select(r => r.Key));
        Assert.Equal("""{"description":"If-Match is required","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Error"}}}}""",
            responses["Error428"]!.ToJsonString());
        Assert.Equal(
            ["Bad request", "Missing or invalid API key, or no such route", "Not found",
             "A request with this Idempotency-Key is still being processed; retry it unchanged after Retry-After seconds",
             "The item changed since it was read", "Document too large", "The body is not sent as application/json",
             "The Idempotency-Key was used with a different body; send a new key for a new item",
             "If-Match is required", "Throttled or quota exceeded", "Internal error",
             "DynamoDB throttled, failed or did not answer in time; retry after Retry-After seconds (the message says whether a write was applied)"],
            responses.Select(r => r.Value!["description"]!.GetValue<string>()));

        JsonObject withAuthorizer = OpenApiDocument.Build(Policy(("authMode", "apiKey+authorizer"),
            ("authorizerTokenHashes", BearerTokenAuthorizer.HashToken("t"))))["components"]!["responses"]!.AsObject();
        Assert.Equal("Missing or refused bearer token", withAuthorizer["Error401"]!["description"]!.GetValue<string>());
    }

    [Fact]
    public void Every_call_needs_the_api_key_header_and_the_server_is_named_when_known()
    {
        Assert.Equal("3.0.3", Document["openapi"]!.GetValue<string>());
        Assert.Equal("""{"title":"Items API","version":"1.0.0","description":"JSON items stored in DynamoDB behind API Gateway and Lambda. Every call needs an x-api-key header."}""",
            Document["info"]!.ToJsonString());
        Assert.Equal("""[{"apiKey":[]}]""", Document["security"]!.ToJsonString());
        Assert.Equal("""{"apiKey":{"type":"apiKey","in":"header","name":"x-api-key"}}""", Document["components"]!["securitySchemes"]!.ToJsonString());
        Assert.Null(Document["servers"]);
        Assert.Equal("""[{"url":"https://api.example.com/dev"}]""", OpenApiDocument.Build(Policy(), OpenApiDocument.Server("https://api.example.com/dev"))["servers"]!.ToJsonString());
    }

    [Fact]
    public void The_json_form_is_indented_for_reading()
    {
        string json = OpenApiDocument.ToJson(Policy(), OpenApiDocument.Server("http://127.0.0.1:3000/dev"));
        Assert.StartsWith("{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\n    \"title\": \"Items API\",", json.ReplaceLineEndings("\n"));
        Assert.Equal(OpenApiDocument.Build(Policy(), OpenApiDocument.Server("http://127.0.0.1:3000/dev")).ToJsonString(), JsonNode.Parse(json)!.ToJsonString());
        // The request model's schema is the one the stack's API Gateway model uses: any JSON object.
        Assert.Equal("object", JsonNode.Parse(OpenApiDocument.DocumentSchemaJson)!["type"]!.GetValue<string>());
        Assert.Contains("draft-04", OpenApiDocument.DocumentSchemaJson);
    }
}
