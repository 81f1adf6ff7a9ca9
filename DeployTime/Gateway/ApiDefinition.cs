using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Gateway;

/// <summary>
/// Everything the REST API's own resources are built from: the rest api, its resources and methods, the proxy
/// integrations, the CORS preflight's MOCK integrations, the authorizer, the body validator and model, and the gateway responses. The stack's
/// RestApiResources reads these values, and nothing else, for those resources; the deployment trigger is the hash of
/// this record's JSON (<see cref="Fingerprint"/>). API Gateway serves a change to any of them only after a new
/// deployment ("a deployment is a snapshot of the REST API's resources and methods"; disableExecuteApiEndpoint takes
/// effect when the stage is next deployed), so deriving the trigger from the one record the resources are built from
/// leaves no field to forget. Function ARNs are not here: the stack adds them to the trigger itself.
/// </summary>
public sealed record ApiDefinition(
    string EndpointType,
    string ApiKeySource,
    bool ExecuteApiEndpointDisabled,
    IReadOnlyList<ApiDefinition.RouteMethod> Routes,
    string MethodAuthorization,
    AuthorizerPolicy? Authorizer,
    ApiDefinition.BodyValidation Validation,
    ApiDefinition.ProxyIntegration Integration,
    ApiDefinition.ErrorResponses GatewayResponses,
    IReadOnlyList<CorsPreflight> CorsPreflights)
{
    /// <summary>One method as the stage declares it.</summary>
    public sealed record RouteMethod(string Method, string PathTemplate, bool RequiresApiKey, bool RequiresJsonObjectBody);

    /// <summary>The validator and model that refuse a body that is not a JSON object before the function runs.</summary>
    public sealed record BodyValidation(string ValidatorName, bool ValidateRequestBody, bool ValidateRequestParameters,
        string ModelName, string ModelContentType, string ModelDescription, string ModelSchema);

    /// <summary>How every method reaches the function.</summary>
    public sealed record ProxyIntegration(string Type, string HttpMethod, int TimeoutMilliseconds);

    /// <summary>API Gateway's own error answers: which, their body template, and their fixed headers (CORS).</summary>
    public sealed record ErrorResponses(IReadOnlyList<string> Types, string ContentType, string Template, IReadOnlyDictionary<string, string> Headers);

    /// <summary>
    /// API Gateway's longest wait for a Lambda integration (29 s by default): every integration declares it, the function's
    /// timeout stays below it (<see cref="Settings.ConfigKeys.LambdaTimeoutSeconds"/>), and the latency alarm cannot be set above it.
    /// </summary>
    public const int IntegrationTimeoutMilliseconds = 29_000;

    /// <summary>API Gateway's error message as JSON; messageString is the JSON-escaped form of $context.error.message.</summary>
    public const string GatewayResponseTemplate = "{\"message\":$context.error.messageString}";

    public static ApiDefinition For(StageSettings settings, GatewayPolicy policy, IReadOnlyList<Route> routes) => new(
        policy.EndpointType,
        policy.ApiKeySource,
        settings.ExecuteApiEndpointDisabled,
        routes.Select(r => new RouteMethod(r.Method, r.PathTemplate, r.RequiresApiKey, r.RequiresJsonObjectBody)).ToArray(),
        policy.MethodAuthorization,
        policy.Authorizer,
        new BodyValidation("json-object-body", ValidateRequestBody: true, ValidateRequestParameters: false,
            "ItemDocument", "application/json", "Any JSON object", policy.RequestModelSchema),
        new ProxyIntegration(GatewayPolicy.ProxyIntegration, "POST", IntegrationTimeoutMilliseconds),
        // All of API Gateway's own 4XX and 5XX answers.
        new ErrorResponses([GatewayAnswer.Default4xx, GatewayAnswer.Default5xx], "application/json", GatewayResponseTemplate, policy.Cors.GatewayResponseHeaders),
        // With CORS, an OPTIONS method on every path, answered by API Gateway itself (a MOCK integration, no Lambda).
        policy.Cors.IsEnabled
            ? routes.Select(r => r.PathTemplate).Distinct()
                .Select(path => CorsPreflight.For(policy.Cors, path, routes.Where(r => r.PathTemplate == path).Select(r => r.Method).ToArray())).ToArray()
            : []);

    /// <summary>The paths with a preflight (OPTIONS) method.</summary>
    public IReadOnlyList<string> CorsPreflightPaths => CorsPreflights.Select(p => p.PathTemplate).ToArray();

    /// <summary>The paths of the resource tree, parents first (/items, /items/{id}).</summary>
    public IReadOnlyList<string> ResourcePaths => RouteTable.ResourcePaths(Routes.Select(r => r.PathTemplate));

    /// <summary>A routes' method needs the body validator and model.</summary>
    public bool ValidatesBodies => Routes.Any(r => r.RequiresJsonObjectBody);

    /// <summary>The canonical form: compact JSON of every field, in declaration order, with the serializer's default escaping.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ApiDefinitionJsonContext.Default.ApiDefinition);

    /// <summary>The SHA-256 of <see cref="ToJson"/>: the deployment trigger. Equal definitions give equal fingerprints.</summary>
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson())));
}

/// <summary>Reflection-free JSON for the definition, with the serializer's default options.</summary>
[JsonSerializable(typeof(ApiDefinition))]
[JsonSourceGenerationOptions(IgnoreReadOnlyProperties = true)]
public sealed partial class ApiDefinitionJsonContext : JsonSerializerContext;
