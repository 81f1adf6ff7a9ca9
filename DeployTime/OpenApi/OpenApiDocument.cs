using System.Text.Json;
using System.Text.Json.Nodes;
using System.Globalization;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.Core.Http;
using ItemsApi.Core.Items;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Project;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.OpenApi;

/// <summary>An OpenAPI 3 description of the API, generated from the route table (or the rows a caller gives).</summary>
/// <remarks>
/// Built from JsonObjects rather than Microsoft.OpenApi's typed model, because that model's writer would change the
/// document: read back and written out (3.11.1) it says "openapi": "3.0.4" instead of "3.0.3", drops each optional
/// parameter's "required": false and reorders keys, and the build would be no shorter (one model object per JsonObject
/// here). The tests read this JSON with that library's reader instead (DeployTime.Tests/OpenApiReaderTests).
/// </remarks>
public static class OpenApiDocument
{
    /// <summary>The JSON schema of a request document: any JSON object. The stack's request model uses it too.</summary>
    public const string DocumentSchemaJson = """{"$schema":"http://json-schema.org/draft-04/schema#","title":"ItemDocument","type":"object"}""";

    /// <summary>A server entry for one known base URL, e.g. the local stage's.</summary>
    public static JsonObject Server(string url) => new() { ["url"] = url };

    /// <summary>
    /// A server entry for a deployed stage, to edit or fill in: the execute-api URL with the API's id, region and stage
    /// as variables (<c>pulumi stack output url</c> gives the whole URL of a deployed stage).
    /// </summary>
    public static JsonObject DeployedServer(string stageName, string region) => new()
    {
        ["url"] = "https://{restApiId}.execute-api.{region}.amazonaws.com/{stage}",
        ["description"] = $"A deployed stage; `pulumi stack output {StackOutputNames.ApiId}` gives restApiId (with a custom domain, use `pulumi stack output {StackOutputNames.Url}` instead)",
        ["variables"] = new JsonObject
        {
            ["restApiId"] = new JsonObject { ["default"] = "restApiId", ["description"] = $"pulumi stack output {StackOutputNames.ApiId}" },
            ["region"] = new JsonObject { ["default"] = region, ["description"] = "the stack's aws:region" },
            ["stage"] = new JsonObject { ["default"] = stageName, ["description"] = $"pulumi stack output {StackOutputNames.StageName}" },
        },
    };

    /// <summary>The document for a stage's routes, with the gateway's own answers from its <paramref name="policy"/>.</summary>
    /// <param name="routes">The rows to document; null: <see cref="RouteTable.All"/>.</param>
    public static JsonObject Build(GatewayPolicy policy, JsonObject? server = null, IReadOnlyList<Route>? routes = null)
    {
        var table = new RouteSet(routes ?? RouteTable.All);
        var paths = new JsonObject();
        foreach (string template in table.PathTemplates)
        {
            var pathItem = new JsonObject();
            foreach (Route route in table.All.Where(r => r.PathTemplate == template))
                pathItem[route.Method.ToLowerInvariant()] = Operation(route, policy);
            paths[template] = pathItem;
        }

        var document = new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject
            {
                ["title"] = "Items API",
                ["version"] = "1.0.0",
                ["description"] = $"JSON items stored in DynamoDB behind API Gateway and Lambda. Every call needs an {policy.ApiKeyHeader} header.",
            },
            ["paths"] = paths,
            ["components"] = Components(policy, table.All),
            ["security"] = new JsonArray(Security(policy)),
        };
        if (server is not null)
            document["servers"] = new JsonArray(server);
        return document;
    }

    /// <summary>The schemes every call needs, all at once: the key, and with an authorizer the bearer token too.</summary>
    private static JsonObject Security(GatewayPolicy policy)
    {
        var security = new JsonObject { [ApiKeyScheme] = new JsonArray() };
        if (policy.AuthMode == AuthMode.ApiKeyAndAuthorizer) security[BearerScheme] = new JsonArray();
        return security;
    }

    /// <summary>The names of the security schemes in <c>components.securitySchemes</c>.</summary>
    public const string ApiKeyScheme = "apiKey", BearerScheme = "bearer";

    public static string ToJson(GatewayPolicy policy, JsonObject? server = null, IReadOnlyList<Route>? routes = null) =>
        Build(policy, server, routes).ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>An operation, read from the route row: parameters, request body, success and error responses.</summary>
    private static JsonObject Operation(Route route, GatewayPolicy policy)
    {
        var operation = new JsonObject
        {
            ["operationId"] = route.OperationId,
            ["summary"] = route.Summary,
        };

        if (route.Parameters.Count > 0)
            operation["parameters"] = new JsonArray(route.Parameters.Select(Parameter).ToArray<JsonNode?>());

        if (route.RequestBody != BodyShape.None)
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Ref(route.RequestBody.ToString()) } },
            };

        JsonObject success = route.ResponseBody == BodyShape.None
            ? new JsonObject { ["description"] = route.SuccessDescription }
            : JsonResponse(route.SuccessDescription, Ref(route.ResponseBody.ToString()));
        // The headers the handler sets: every item answer carries its version as ETag; a create says where the item is.
        var headers = new JsonObject();
        if (route.ResponseBody == BodyShape.Item) headers["ETag"] = new JsonObject { ["$ref"] = "#/components/headers/ETag" };
        if (route.Action == RouteAction.CreateItem) headers["Location"] = new JsonObject { ["$ref"] = "#/components/headers/Location" };
        if (headers.Count > 0) success["headers"] = headers;
        var responses = new JsonObject { [route.SuccessStatus.ToString(CultureInfo.InvariantCulture)] = success };
        foreach (int status in route.ErrorStatuses.Union(policy.GatewayStatuses(route)).Order())
            responses[status.ToString(CultureInfo.InvariantCulture)] = new JsonObject { ["$ref"] = $"#/components/responses/Error{status}" };
        operation["responses"] = responses;
        return operation;
    }

    private static JsonObject Parameter(RouteParameter parameter)
    {
        var schema = new JsonObject { ["type"] = parameter.Type };
        if (parameter.Pattern is not null) schema["pattern"] = parameter.Pattern;
        if (parameter.Minimum is not null) schema["minimum"] = parameter.Minimum;
        if (parameter.Maximum is not null) schema["maximum"] = parameter.Maximum;
        if (parameter.Default is not null) schema["default"] = parameter.Default;
        return new JsonObject
        {
            ["name"] = parameter.Name,
            ["in"] = parameter.In.ToString().ToLowerInvariant(),
            ["required"] = parameter.Required,
            ["description"] = parameter.Description,
            ["schema"] = schema,
        };
    }

    /// <summary>What each error status means; every status a route row or the gateway policy can answer is here.</summary>
    internal static IReadOnlyDictionary<int, string> ErrorDescriptions { get; } = new Dictionary<int, string>
    {
        [400] = "Bad request", [401] = "Missing or refused bearer token", [403] = "Missing or invalid API key, or no such route",
        [404] = "Not found", [412] = "The item changed since it was read", [413] = "Document too large",
        [415] = "The body is not sent as application/json",
        [409] = "A request with this Idempotency-Key is still being processed; retry it unchanged after Retry-After seconds",
        [422] = "The Idempotency-Key was used with a different body; send a new key for a new item",
        [428] = "If-Match is required", [429] = "Throttled or quota exceeded", [500] = "Internal error",
        [503] = "DynamoDB throttled, failed or did not answer in time; retry after Retry-After seconds (the message says whether a write was applied)",
    };

    /// <summary>The error answers that tell the client when to retry.</summary>
    private static readonly int[] RetryAfterStatuses = [409, 503];

    private static JsonObject Components(GatewayPolicy policy, IReadOnlyList<Route> routes)
    {
        var errorResponses = new JsonObject();
        IEnumerable<int> used = routes.SelectMany(r => r.ErrorStatuses.Union(policy.GatewayStatuses(r))).Distinct().Order();
        foreach (int status in used)
        {
            JsonObject response = JsonResponse(ErrorDescriptions[status], Ref("Error"));
            if (RetryAfterStatuses.Contains(status))
                response["headers"] = new JsonObject { ["Retry-After"] = new JsonObject { ["$ref"] = "#/components/headers/Retry-After" } };
            errorResponses[$"Error{status}"] = response;
        }

        return new JsonObject
        {
            ["securitySchemes"] = SecuritySchemes(policy),
            ["schemas"] = new JsonObject
            {
                ["ItemDocument"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = $"Any JSON object, sent as {JsonBody.ContentType}, at most {JsonBody.MaxDepth} levels deep and {JsonBody.MaxDocumentBytes} bytes, "
                        + "with each property name once per object (a repeated name is refused with 400: RFC 8259 allows it, but parsers disagree on which value wins); stored as sent.",
                },
                ["Item"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("id", "version", "createdAt", "updatedAt", "data"),
                    ["properties"] = new JsonObject
                    {
                        ["id"] = new JsonObject { ["type"] = "string", ["description"] = "ULID, time-ordered", ["pattern"] = ItemId.Pattern },
                        ["version"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1 },
                        ["createdAt"] = new JsonObject { ["type"] = "string", ["format"] = "date-time" },
                        ["updatedAt"] = new JsonObject { ["type"] = "string", ["format"] = "date-time" },
                        ["data"] = Ref("ItemDocument"),
                    },
                },
                ["ItemPage"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("items", "nextToken"),
                    ["properties"] = new JsonObject
                    {
                        ["items"] = new JsonObject { ["type"] = "array", ["items"] = Ref("Item") },
                        ["nextToken"] = new JsonObject { ["type"] = "string", ["nullable"] = true },
                    },
                },
                ["Error"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("message"),
                    ["properties"] = new JsonObject
                    {
                        ["message"] = new JsonObject { ["type"] = "string" },
                        ["requestId"] = new JsonObject { ["type"] = "string" },
                    },
                },
            },
            ["responses"] = errorResponses,
            ["headers"] = new JsonObject
            {
                ["ETag"] = new JsonObject
                {
                    ["description"] = "The item's version as a quoted string, e.g. \"3\"; send it back in If-Match. Compare it as an opaque string.",
                    ["required"] = true,
                    ["schema"] = new JsonObject { ["type"] = "string" },
                },
                ["Location"] = new JsonObject
                {
                    ["description"] = "The new item's path, stage included, e.g. /dev/items/01JD...",
                    ["required"] = true,
                    ["schema"] = new JsonObject { ["type"] = "string" },
                },
                ["Retry-After"] = new JsonObject
                {
                    ["description"] = "Seconds to wait before retrying the same request.",
                    ["required"] = true,
                    ["schema"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1 },
                },
            },
        };
    }

    private static JsonObject SecuritySchemes(GatewayPolicy policy)
    {
        var schemes = new JsonObject { [ApiKeyScheme] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = policy.ApiKeyHeader } };
        if (policy.AuthMode == AuthMode.ApiKeyAndAuthorizer)
            schemes[BearerScheme] = new JsonObject
            {
                ["type"] = "http",
                ["scheme"] = "bearer",
                ["description"] = "A token whose SHA-256 is one of the stage's authorizerTokenHashes (authMode apiKey+authorizer).",
            };
        return schemes;
    }

    private static JsonObject JsonResponse(string description, JsonObject schema) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } },
    };

    private static JsonObject Ref(string schema) => new() { ["$ref"] = $"#/components/schemas/{schema}" };
}
