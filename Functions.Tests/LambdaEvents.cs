using System.Text;
using System.Text.Json;
using Amazon.Lambda.Serialization.SystemTextJson;

namespace ItemsApi.Functions.Tests;

/// <summary>(De)serializes events and responses with the function's own Lambda serializer; <see cref="ApiGatewayEvents"/> builds the events.</summary>
public static class LambdaEvents
{
    public static readonly SourceGeneratorLambdaJsonSerializer<LambdaJsonContext> Serializer = new();

    public static T Deserialize<T>(string json)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return Serializer.Deserialize<T>(stream);
    }

    public static JsonElement ToJson<T>(T response)
    {
        using var stream = new MemoryStream();
        Serializer.Serialize(response, stream);
        return JsonDocument.Parse(stream.ToArray()).RootElement.Clone();
    }
}
