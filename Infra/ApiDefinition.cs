using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ItemsApi.Core.Http;
using ItemsApi.Core.OpenApi;
using ItemsApi.Core.Routes;
using ItemsApi.Core.Settings;

namespace ItemsApi.Infra;

/// <summary>How one route is exposed: its method's auth and validation, and its proxy integration.</summary>
public sealed record RouteDefinition(
    string Method,
    string PathTemplate,
    string Authorization,
    bool ApiKeyRequired,
    bool ValidateJsonObjectBody,
    string IntegrationType,
    string IntegrationHttpMethod);

/// <summary>The TOKEN authorizer in front of every method (authMode apiKey+authorizer).</summary>
public sealed record AuthorizerDefinition(string Type, string IdentitySource, string IdentityValidationExpression, int ResultTtlInSeconds);

/// <summary>
/// CORS: an OPTIONS method on every path (proxied to the function, which answers the preflight from the same
/// <see cref="CorsPolicy"/>), and the Allow-Origin that API Gateway's own 4XX/5XX answers carry (null: none).
/// </summary>
public sealed record CorsDefinition(IReadOnlyList<string> AllowedOrigins, string AllowedHeaders, string? GatewayResponseAllowOrigin);

/// <summary>
/// Everything that shapes the deployed API, derived from the route table and the stage settings.
/// The REST resources are declared from it, and its fingerprint is the deployment trigger: any change
/// here redeploys the stage, and an unchanged definition never does.
/// </summary>
public sealed record ApiDefinition(
    IReadOnlyList<RouteDefinition> Routes,
    AuthorizerDefinition? Authorizer,
    CorsDefinition? Cors,
    string RequestModelSchema,
    string EndpointType,
    string ApiKeySource)
{
    /// <summary>Methods call the function through Lambda proxy integrations, always with POST.</summary>
    public const string ProxyIntegration = "AWS_PROXY";

    /// <summary>An Authorization header of another shape is refused (401) without invoking the authorizer.</summary>
    public const string BearerTokenPattern = "^Bearer [-0-9A-Za-z._~+/]+=*$";

    public static ApiDefinition From(StageSettings settings, IReadOnlyList<Route> routes)
    {
        string authorization = settings.AuthMode switch
        {
            AuthMode.ApiKeyAndAuthorizer => "CUSTOM",
            AuthMode.Iam => "AWS_IAM",
            _ => "NONE",
        };
        CorsPolicy cors = CorsPolicy.For(settings);
        return new ApiDefinition(
            routes.Select(route => new RouteDefinition(route.Method, route.PathTemplate, authorization, ApiKeyRequired: true,
                route.RequiresJsonObjectBody, ProxyIntegration, "POST")).ToArray(),
            settings.AuthMode == AuthMode.ApiKeyAndAuthorizer
                ? new AuthorizerDefinition("TOKEN", "method.request.header.Authorization", BearerTokenPattern, settings.AuthorizerCacheTtlSeconds)
                : null,
            cors.IsEnabled ? new CorsDefinition(cors.AllowedOrigins, cors.AllowedHeaders, cors.GatewayResponseAllowOrigin) : null,
            OpenApiDocument.DocumentSchemaJson,
            EndpointType: "REGIONAL",
            ApiKeySource: "HEADER");
    }

    /// <summary>The path templates with at least one route, parents before children.</summary>
    public IReadOnlyList<string> PathTemplates =>
        Routes.Select(r => r.PathTemplate).Distinct().OrderBy(p => p.Count(c => c == '/')).ThenBy(p => p, StringComparer.Ordinal).ToArray();

    /// <summary>Every resource the tree needs: the route paths and all their ancestors (/a/{id} needs /a), parents first.</summary>
    public IReadOnlyList<string> ResourcePaths =>
        PathTemplates.SelectMany(Ancestors).Distinct().OrderBy(p => p.Count(c => c == '/')).ThenBy(p => p, StringComparer.Ordinal).ToArray();

    private static IEnumerable<string> Ancestors(string template)
    {
        for (int end = template.IndexOf('/', 1); end > 0; end = template.IndexOf('/', end + 1)) yield return template[..end];
        yield return template;
    }

    /// <summary>A stable hash of the whole definition (the Deployment's trigger).</summary>
    public string Fingerprint() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this))));
}
