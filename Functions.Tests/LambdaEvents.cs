using System.Text;
using System.Text.Json;
using Amazon.Lambda.Serialization.SystemTextJson;

namespace ItemsApi.Functions.Tests;

/// <summary>Builds the event JSON from the files in Events/ and (de)serializes with the function's own Lambda serializer.</summary>
public static class LambdaEvents
{
    public static readonly SourceGeneratorLambdaJsonSerializer<LambdaJsonContext> Serializer = new();

    /// <summary>An event file with each <c>{{name}}</c> replaced by its value, as the JSON Lambda would send.</summary>
    public static string Text(string file, IReadOnlyDictionary<string, string> values)
    {
        string json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Events", file));
        foreach ((string name, string value) in values) json = json.Replace("{{" + name + "}}", value);
        return json;
    }

    public static T Deserialize<T>(string json)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return Serializer.Deserialize<T>(stream);
    }

    /// <summary>An API Gateway REST proxy event; <paramref name="requestId"/> is its requestContext.requestId.</summary>
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

    public static JsonElement ToJson<T>(T response)
    {
        using var stream = new MemoryStream();
        Serializer.Serialize(response, stream);
        return JsonDocument.Parse(stream.ToArray()).RootElement.Clone();
    }

    /// <summary>A JSON string literal, or null.</summary>
    public static string Literal(string? text) => text is null ? "null" : JsonSerializer.Serialize(text);
}
