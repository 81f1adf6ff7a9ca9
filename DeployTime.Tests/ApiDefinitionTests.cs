using System.Text.Json;
using System.Text.Json.Nodes;
using ItemsApi.Core.Auth;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Tests;

/// <summary>
/// The deployment trigger: the hash of everything the REST API's resources are built from. API Gateway serves a change
/// to a resource, method, integration, authorizer, validator, model or gateway response, and a change of
/// disableExecuteApiEndpoint, only after the stage is deployed again, so each must change the trigger.
/// </summary>
public sealed class ApiDefinitionTests
{
    private static StageSettings Settings(params (string Key, string Value)[] values) =>
        StageSettings.Load(key => values.FirstOrDefault(v => v.Key == key).Value, "dev");

    /// <summary>A stage that uses every part of the definition: an authorizer, CORS and a custom domain.</summary>
    private static StageSettings Everything => Settings(("authMode", "apiKey+authorizer"),
        ("authorizerTokenHashes", BearerTokenAuthorizer.HashToken("a-token")), ("corsAllowedOrigins", """["https://app.example.com"]"""),
        ("customDomainName", "api.example.com"), ("hostedZoneName", "example.com"));

    private static ApiDefinition For(StageSettings settings) => ApiDefinition.For(settings, GatewayPolicy.For(settings), RouteTable.All);

    [Fact]
    public void Changing_any_one_field_of_the_definition_changes_the_fingerprint()
    {
        ApiDefinition definition = For(Everything);
        JsonNode json = JsonNode.Parse(definition.ToJson())!;
        var leaves = Leaves(json).ToList();
        Assert.True(leaves.Count > 30, $"only {leaves.Count} fields");
        foreach ((string path, Action mutate, Action undo) in leaves)
        {
            mutate();
            // The changed JSON reads back as a definition that writes the same JSON: the field is part of the record.
            ApiDefinition changed = JsonSerializer.Deserialize(json.ToJsonString(), ApiDefinitionJsonContext.Default.ApiDefinition)!;
            Assert.Equal(json.ToJsonString(), changed.ToJson());
            Assert.True(definition.Fingerprint != changed.Fingerprint, $"changing {path} keeps the fingerprint");
            undo();
        }
        Assert.Equal(definition.ToJson(), json.ToJsonString());
    }

    [Fact]
    public void Equal_settings_give_equal_fingerprints_and_stage_only_settings_none_of_its_business()
    {
        Assert.Equal(For(Everything).Fingerprint, For(Everything).Fingerprint);
        // Throttles, quotas, memory and logs are stage and usage-plan settings outside the deployment snapshot.
        string plain = For(Settings()).Fingerprint;
        foreach ((string key, string value) in new[] { ("usagePlanRateLimit", "3"), ("quotaLimit", "5"), ("stageThrottleRateLimit", "7"),
                     ("lambdaMemoryMb", "1024"), ("logRetentionDays", "30"), ("accessLogs", "false"), ("monitoring", "true") })
            Assert.Equal(plain, For(Settings((key, value))).Fingerprint);
    }

    [Fact]
    public void Adding_or_removing_a_custom_domain_or_toggling_the_execute_api_endpoint_changes_the_fingerprint()
    {
        // API Gateway applies disableExecuteApiEndpoint when the stage is next deployed: a change must redeploy.
        (string, string)[] domain = [("customDomainName", "api.example.com"), ("hostedZoneName", "example.com")];
        string without = For(Settings()).Fingerprint;
        string with = For(Settings(domain)).Fingerprint;
        string endpointKept = For(Settings([.. domain, ("disableExecuteApiEndpoint", "false")])).Fingerprint;
        Assert.NotEqual(without, with);
        Assert.NotEqual(with, endpointKept);
        Assert.Equal(without, endpointKept); // the execute-api endpoint on, as without a domain
        // The component redeploys on its own terms, which leave this switch out: it keeps the endpoint on.
        Assert.False(Settings([.. domain, ("apiImplementation", "component")]).ExecuteApiEndpointDisabled);
    }

    [Fact]
    public void The_canonical_form_is_compact_json_with_the_serializers_default_escaping_and_no_derived_fields()
    {
        string json = For(Everything).ToJson();
        Assert.StartsWith("""{"EndpointType":"REGIONAL","ApiKeySource":"HEADER","ExecuteApiEndpointDisabled":true,"Routes":[{"Method":"POST","PathTemplate":"/items",""", json);
        Assert.Contains("""{"message":$context.error.messageString}""".Replace("\"", "\\u0022"), json);
        Assert.DoesNotContain("IdentitySource", json); // derived from IdentityHeader
        Assert.DoesNotContain("Fingerprint", json);
        Assert.DoesNotContain("\n", json);
    }

    [Fact]
    public void Every_method_reaches_the_function_by_a_post_proxy_integration_below_the_29_second_limit()
    {
        ApiDefinition definition = For(Everything);
        // Lambda proxy integrations are always invoked with POST, whatever the client's method.
        Assert.Equal(new ApiDefinition.ProxyIntegration("AWS_PROXY", "POST", 29_000), definition.Integration);
        Assert.Equal(RouteTable.All.Select(r => new ApiDefinition.RouteMethod(r.Method, r.PathTemplate, true, r.RequiresJsonObjectBody)), definition.Routes);
        Assert.Equal("CUSTOM", definition.MethodAuthorization);
        Assert.Equal(new AuthorizerPolicy("bearer-token", "TOKEN", "Authorization", GatewayPolicy.BearerTokenPattern, 300), definition.Authorizer);
    }

    [Fact]
    public void Bodies_are_validated_as_json_objects_against_the_item_document_model()
    {
        ApiDefinition definition = For(Settings());
        Assert.Equal(new ApiDefinition.BodyValidation("json-object-body", ValidateRequestBody: true, ValidateRequestParameters: false,
            "ItemDocument", "application/json", "Any JSON object", OpenApi.OpenApiDocument.DocumentSchemaJson), definition.Validation);
        Assert.True(definition.ValidatesBodies);
        Assert.False((definition with { Routes = definition.Routes.Where(r => !r.RequiresJsonObjectBody).ToArray() }).ValidatesBodies);
        Assert.Equal(["/items", "/items/{id}"], definition.ResourcePaths);
    }

    [Fact]
    public void Api_gateways_own_errors_are_json_with_the_cors_headers_and_preflight_exists_only_with_cors()
    {
        ApiDefinition withCors = For(Everything);
        Assert.Equal(["DEFAULT_4XX", "DEFAULT_5XX"], withCors.GatewayResponses.Types);
        Assert.Equal("application/json", withCors.GatewayResponses.ContentType);
        Assert.Equal("{\"message\":$context.error.messageString}", withCors.GatewayResponses.Template);
        Assert.Equal(new Dictionary<string, string> { ["Vary"] = "Origin", ["Access-Control-Allow-Origin"] = "https://app.example.com" }, withCors.GatewayResponses.Headers);
        Assert.Equal(["/items", "/items/{id}"], withCors.CorsPreflightPaths);

        ApiDefinition without = For(Settings());
        Assert.Empty(without.CorsPreflightPaths);
        Assert.Empty(without.GatewayResponses.Headers);
        Assert.Equal("NONE", without.MethodAuthorization);
        Assert.Null(without.Authorizer);
        Assert.False(without.ExecuteApiEndpointDisabled);
    }

    /// <summary>Every scalar in the JSON tree, each with a change and its undo; arrays also get an element more.</summary>
    private static IEnumerable<(string Path, Action Mutate, Action Undo)> Leaves(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (string name in obj.Select(p => p.Key).ToList())
                {
                    JsonNode? child = obj[name];
                    if (child is null) throw new InvalidOperationException($"{name} is null: use a definition with every part present");
                    if (child is JsonValue value)
                    {
                        JsonNode original = value.DeepClone();
                        yield return (child.GetPath(), () => obj[name] = Changed(original), () => obj[name] = original.DeepClone());
                    }
                    else
                        foreach (var leaf in Leaves(child)) yield return leaf;
                }
                break;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    int index = i;
                    if (array[index] is JsonValue value)
                    {
                        JsonNode original = value.DeepClone();
                        yield return (array[index]!.GetPath(), () => array[index] = Changed(original), () => array[index] = original.DeepClone());
                    }
                    else
                        foreach (var leaf in Leaves(array[index]!)) yield return leaf;
                }
                if (array.Count > 0 && array[0] is JsonValue)
                    yield return (array.GetPath() + "[+]", () => array.Add(Changed(array[0]!)), () => array.RemoveAt(array.Count - 1));
                break;
        }
    }

    private static JsonNode Changed(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => JsonValue.Create(value.GetValue<string>() + "-changed"),
        JsonValueKind.Number => JsonValue.Create(value.GetValue<int>() + 1),
        JsonValueKind.True => JsonValue.Create(false),
        JsonValueKind.False => JsonValue.Create(true),
        _ => throw new InvalidOperationException($"no change for {value.GetValueKind()}"),
    };
}
