using System.Text.Json;
using System.Text.Json.Nodes;
using ItemsApi.Core.Http;
using ItemsApi.Core.Routes;

namespace ItemsApi.Core.OpenApi;

/// <summary>An OpenAPI 3 description of the API, generated from the route table.</summary>
public static class OpenApiDocument
{
    /// <summary>The JSON schema of a request document: any JSON object. The stack's request model uses it too.</summary>
    public const string DocumentSchemaJson = """{"$schema":"http://json-schema.org/draft-04/schema#","title":"ItemDocument","type":"object"}""";

    public static JsonObject Build(string? serverUrl = null)
    {
        var paths = new JsonObject();
        foreach (string template in RouteTable.PathTemplates)
        {
            var pathItem = new JsonObject();
            foreach (Route route in RouteTable.All.Where(r => r.PathTemplate == template))
                pathItem[route.Method.ToLowerInvariant()] = Operation(route);
            paths[template] = pathItem;
        }

        var document = new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject
            {
                ["title"] = "Items API",
                ["version"] = "1.0.0",
                ["description"] = "JSON items stored in DynamoDB behind API Gateway and Lambda. Every call needs an x-api-key header.",
            },
            ["paths"] = paths,
            ["components"] = Components(),
            ["security"] = new JsonArray(new JsonObject { ["apiKey"] = new JsonArray() }),
        };
        if (serverUrl is not null)
            document["servers"] = new JsonArray(new JsonObject { ["url"] = serverUrl });
        return document;
    }

    public static string ToJson(string? serverUrl = null) =>
        Build(serverUrl).ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private static JsonObject Operation(Route route)
    {
        var operation = new JsonObject
        {
            ["operationId"] = char.ToLowerInvariant(route.Action.ToString()[0]) + route.Action.ToString()[1..],
            ["summary"] = route.Summary,
        };

        var parameters = new JsonArray();
        foreach (string name in route.PathParameters)
            parameters.Add(Parameter(name, "path", required: true, new JsonObject { ["type"] = "string", ["pattern"] = "^[0-7][0-9A-HJKMNP-TV-Z]{25}$" }));
        if (route.Action == RouteAction.ListItems)
        {
            parameters.Add(Parameter("limit", "query", required: false, new JsonObject
            {
                ["type"] = "integer", ["minimum"] = 1, ["maximum"] = ItemsApiHandler.MaxPageSize, ["default"] = ItemsApiHandler.DefaultPageSize,
            }));
            parameters.Add(Parameter("nextToken", "query", required: false, new JsonObject { ["type"] = "string" }));
        }
        if (route.Action is RouteAction.ReplaceItem or RouteAction.DeleteItem)
            parameters.Add(Parameter("If-Match", "header", required: route.Action == RouteAction.ReplaceItem, new JsonObject { ["type"] = "string", ["example"] = "\"1\"" }));
        if (parameters.Count > 0) operation["parameters"] = parameters;

        if (route.RequiresJsonObjectBody)
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Ref("ItemDocument") } },
            };

        var responses = new JsonObject { [route.SuccessStatus.ToString()] = SuccessResponse(route) };
        foreach (int status in ErrorStatuses(route))
            responses[status.ToString()] = new JsonObject { ["$ref"] = $"#/components/responses/Error{status}" };
        operation["responses"] = responses;
        return operation;
    }

    private static JsonObject SuccessResponse(Route route) => route.Action switch
    {
        RouteAction.DeleteItem => new JsonObject { ["description"] = "Deleted" },
        RouteAction.ListItems => JsonResponse("A page of items", Ref("ItemPage")),
        RouteAction.CreateItem => JsonResponse("Created; Location and ETag headers are set", Ref("Item")),
        _ => JsonResponse("The item; the ETag header carries its version", Ref("Item")),
    };

    private static IEnumerable<int> ErrorStatuses(Route route)
    {
        yield return 400;
        yield return 403;
        if (route.PathParameters.Count > 0) yield return 404;
        if (route.Action is RouteAction.ReplaceItem or RouteAction.DeleteItem) yield return 412;
        if (route.RequiresJsonObjectBody) yield return 413;
        if (route.Action == RouteAction.ReplaceItem) yield return 428;
        yield return 429;
        yield return 500;
    }

    private static JsonObject Components()
    {
        var errorResponses = new JsonObject();
        foreach ((int status, string description) in new[]
                 {
                     (400, "Bad request"), (403, "Missing or invalid API key"), (404, "Not found"), (412, "The item changed since it was read"),
                     (413, "Document too large"), (428, "If-Match is required"), (429, "Throttled or quota exceeded"), (500, "Internal error"),
                 })
            errorResponses[$"Error{status}"] = JsonResponse(description, Ref("Error"));

        return new JsonObject
        {
            ["securitySchemes"] = new JsonObject
            {
                ["apiKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "x-api-key" },
            },
            ["schemas"] = new JsonObject
            {
                ["ItemDocument"] = new JsonObject { ["type"] = "object", ["description"] = "Any JSON object; stored as sent." },
                ["Item"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("id", "version", "createdAt", "updatedAt", "data"),
                    ["properties"] = new JsonObject
                    {
                        ["id"] = new JsonObject { ["type"] = "string", ["description"] = "ULID, time-ordered" },
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
        };
    }

    private static JsonObject Parameter(string name, string location, bool required, JsonObject schema) => new()
    {
        ["name"] = name, ["in"] = location, ["required"] = required, ["schema"] = schema,
    };

    private static JsonObject JsonResponse(string description, JsonObject schema) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } },
    };

    private static JsonObject Ref(string schema) => new() { ["$ref"] = $"#/components/schemas/{schema}" };
}
