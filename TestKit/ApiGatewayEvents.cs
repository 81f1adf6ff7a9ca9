using System.Text.Json;

namespace ItemsApi.TestKit;

/// <summary>
/// The events API Gateway sends a function, as JSON: built from the files in Events/ (embedded in this assembly), for
/// the function tests and the cold-start benchmark.
/// </summary>
public static class ApiGatewayEvents
{
    /// <summary>An event file with each <c>{{name}}</c> replaced by its value, as the JSON Lambda would send.</summary>
    public static string Text(string file, IReadOnlyDictionary<string, string> values)
    {
        using Stream stream = typeof(ApiGatewayEvents).Assembly.GetManifestResourceStream($"Events/{file}")
            ?? throw new ArgumentException($"No event file {file} in TestKit/Events", nameof(file));
        string json = new StreamReader(stream).ReadToEnd();
        foreach ((string name, string value) in values) json = json.Replace("{{" + name + "}}", value);
        return json;
    }

    /// <summary>A REST proxy integration's event; <paramref name="requestId"/> is its requestContext.requestId.</summary>
    public static string ProxyRequest(string method, string resource, string path, string requestId, string? body = null,
        string? id = null, string? query = null, string ifMatch = "", bool base64 = false, string contentType = "application/json") =>
        Text("rest-proxy-request.json", new Dictionary<string, string>
        {
            ["resource"] = resource, ["path"] = path, ["method"] = method, ["ifMatch"] = ifMatch,
            // No If-Match: the same line becomes an unrelated header.
            ["ifMatchHeader"] = ifMatch.Length > 0 ? "If-Match" : "X-Not-If-Match", ["requestId"] = requestId,
            ["query"] = query ?? "null",
            ["pathParameters"] = id is null ? "null" : $$"""{"id":{{Literal(id)}}}""",
            ["body"] = Literal(body), ["base64"] = base64 ? "true" : "false", ["contentType"] = contentType,
        });

    /// <summary>A TOKEN authorizer event carrying this Authorization header value.</summary>
    public static string TokenAuthorizerRequest(string authorization) =>
        Text("token-authorizer-request.json", new Dictionary<string, string> { ["token"] = authorization });

    /// <summary>A JSON string literal, or null.</summary>
    public static string Literal(string? text) => text is null ? "null" : JsonSerializer.Serialize(text);
}
