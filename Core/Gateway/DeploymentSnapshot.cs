using System.Text.Json.Serialization;

namespace ItemsApi.Core.Gateway;

/// <summary>
/// What an API Gateway deployment snapshots, as <see cref="GatewayPolicy.DeploymentFingerprint"/> hashes it.
/// Its JSON (property names and order, default escaping) is the fingerprint: changing it redeploys every stage.
/// </summary>
internal sealed record DeploymentSnapshot(
    IEnumerable<DeploymentSnapshot.RouteMethod> Routes,
    string MethodAuthorization,
    AuthorizerPolicy? Authorizer,
    string ApiKeySource,
    DeploymentSnapshot.CorsHeaders? Cors,
    string RequestModelSchema,
    string EndpointType)
{
    internal sealed record RouteMethod(string Method, string PathTemplate, bool RequiresApiKey, bool RequiresJsonObjectBody);

    internal sealed record CorsHeaders(IReadOnlyList<string> AllowedOrigins, string AllowedHeaders, string? GatewayResponseAllowOrigin);
}

/// <summary>Reflection-free JSON for the snapshot, with the serializer's default options (compact, default escaping).</summary>
[JsonSerializable(typeof(DeploymentSnapshot))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
