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

/// <summary>CORS: the OPTIONS answers and the headers added to API Gateway's own 4XX/5XX responses.</summary>
public sealed record CorsDefinition(IReadOnlyList<string> AllowedOrigins, string AllowedHeaders, int MaxAgeSeconds);

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
        return new ApiDefinition(
            routes.Select(route => new RouteDefinition(route.Method, route.PathTemplate, authorization, ApiKeyRequired: true,
                route.RequiresJsonObjectBody, ProxyIntegration, "POST")).ToArray(),
            settings.AuthMode == AuthMode.ApiKeyAndAuthorizer
                ? new AuthorizerDefinition("TOKEN", "method.request.header.Authorization", BearerTokenPattern, settings.AuthorizerCacheTtlSeconds)
                : null,
            settings.CorsAllowedOrigins.Count > 0
                ? new CorsDefinition(settings.CorsAllowedOrigins, CorsPolicy.AllowedHeaders, CorsPolicy.MaxAgeSeconds)
                : null,
            OpenApiDocument.DocumentSchemaJson,
            EndpointType: "REGIONAL",
            ApiKeySource: "HEADER");
    }

    /// <summary>The path templates with at least one route, parents before children.</summary>
    public IReadOnlyList<string> PathTemplates =>
        Routes.Select(r => r.PathTemplate).Distinct().OrderBy(p => p.Count(c => c == '/')).ThenBy(p => p, StringComparer.Ordinal).ToArray();

    /// <summary>A stable hash of the whole definition (the Deployment's trigger).</summary>
    public string Fingerprint() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this))));
}
