using System.Text;
using System.Text.Json;
using Amazon.Lambda.Serialization.SystemTextJson;

namespace ItemsApi.Functions.Tests;

/// <summary>Loads the event JSON files and (de)serializes with the function's own Lambda serializer.</summary>
public static class LambdaEvents
{
    public static readonly SourceGeneratorLambdaJsonSerializer<LambdaJsonContext> Serializer = new();

    public static T Load<T>(string file, IReadOnlyDictionary<string, string> values)
    {
        string json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Events", file));
        foreach ((string name, string value) in values) json = json.Replace("{{" + name + "}}", value);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return Serializer.Deserialize<T>(stream);
    }

    public static JsonElement ToJson<T>(T response)
    {
        using var stream = new MemoryStream();
        Serializer.Serialize(response, stream);
        return JsonDocument.Parse(stream.ToArray()).RootElement.Clone();
    }

    /// <summary>A JSON string literal, or null.</summary>
    public static string Literal(string? text) => text is null ? "null" : JsonSerializer.Serialize(text);
}
