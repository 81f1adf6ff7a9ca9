using System.Globalization;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using ItemsApi.Core.Auth;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.DeployTime.Settings;
using ItemsDocument = ItemsApi.DeployTime.OpenApi.OpenApiDocument;

namespace ItemsApi.DeployTime.Tests;

/// <summary>
/// The OpenAPI document as a client generator reads it: Microsoft.OpenApi's reader, with its default validation rules,
/// reports neither errors nor warnings, and the typed model it builds has every route row's operation with its statuses.
/// (<see cref="OpenApiDocumentTests"/> checks the JSON itself.)
/// </summary>
public sealed class OpenApiReaderTests
{
    public static TheoryData<string> AuthModes => new(ConfigKeys.AuthMode.Words);

    private static GatewayPolicy Policy(string authMode) => GatewayPolicy.For(StageSettings.Load(key => key switch
    {
        "authMode" => authMode,
        "authorizerTokenHashes" when authMode == ConfigKeys.AuthMode.WordFor(AuthMode.ApiKeyAndAuthorizer) => BearerTokenAuthorizer.HashToken("a-token"),
        _ => null,
    }, "dev"));

    /// <summary>Reads the document's JSON with the library and fails on anything its diagnostic reports.</summary>
    private static Microsoft.OpenApi.OpenApiDocument Read(string json)
    {
        ReadResult result = Microsoft.OpenApi.OpenApiDocument.Parse(json, OpenApiConstants.Json);
        OpenApiDiagnostic diagnostic = Assert.IsType<OpenApiDiagnostic>(result.Diagnostic);
        Assert.True(diagnostic.Errors.Count == 0, "errors:\n" + string.Join("\n", diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        Assert.True(diagnostic.Warnings.Count == 0, "warnings:\n" + string.Join("\n", diagnostic.Warnings.Select(w => $"{w.Pointer}: {w.Message}")));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_0, diagnostic.SpecificationVersion);
        return Assert.IsType<Microsoft.OpenApi.OpenApiDocument>(result.Document);
    }

    [Theory]
    [MemberData(nameof(AuthModes))]
    public void The_reader_finds_no_error_or_warning_and_every_route_row_has_its_operation_and_statuses(string authMode)
    {
        GatewayPolicy policy = Policy(authMode);
        Microsoft.OpenApi.OpenApiDocument document = Read(ItemsDocument.ToJson(policy, ItemsDocument.DeployedServer("dev", "eu-west-1")));

        Assert.Equal(RouteTable.PathTemplates.Order(StringComparer.Ordinal), document.Paths.Keys.Order(StringComparer.Ordinal));
        Assert.NotEmpty(RouteTable.All);
        foreach (Route route in RouteTable.All)
        {
            IOpenApiPathItem path = document.Paths[route.PathTemplate];
            Assert.NotNull(path.Operations);
            Assert.Equal(RouteTable.All.Where(r => r.PathTemplate == route.PathTemplate).Select(r => r.Method).Order(StringComparer.Ordinal),
                path.Operations.Keys.Select(m => m.Method).Order(StringComparer.Ordinal));
            OpenApiOperation operation = path.Operations[new HttpMethod(route.Method)];
            Assert.Equal(route.OperationId, operation.OperationId);

            // The row's success status, its own errors and the gateway's answers for it, each described.
            int[] statuses = [route.SuccessStatus, .. route.ErrorStatuses.Union(policy.GatewayStatuses(route))];
            Assert.NotNull(operation.Responses);
            Assert.Equal(statuses.Order().Select(s => s.ToString(CultureInfo.InvariantCulture)), operation.Responses.Keys.Order(StringComparer.Ordinal));
            Assert.All(operation.Responses.Values, response => Assert.False(string.IsNullOrWhiteSpace(response.Description), $"{route}: a response without a description"));

            Assert.Equal(route.Parameters.Select(p => (p.Name, p.In.ToString())),
                (operation.Parameters ?? []).Select(p => (p.Name!, p.In.ToString()!)));
            Assert.Equal(route.RequestBody != BodyShape.None, operation.RequestBody is not null);
        }
    }

    [Theory]
    [MemberData(nameof(AuthModes))]
    public void Every_call_needs_the_key_and_with_an_authorizer_the_bearer_token_too(string authMode)
    {
        GatewayPolicy policy = Policy(authMode);
        Microsoft.OpenApi.OpenApiDocument document = Read(ItemsDocument.ToJson(policy));

        string[] expected = policy.AuthMode == AuthMode.ApiKeyAndAuthorizer
            ? [ItemsDocument.ApiKeyScheme, ItemsDocument.BearerScheme]
            : [ItemsDocument.ApiKeyScheme];
        Assert.NotNull(document.Components?.SecuritySchemes);
        Assert.Equal(expected.Order(StringComparer.Ordinal), document.Components.SecuritySchemes.Keys.Order(StringComparer.Ordinal));
        OpenApiSecurityRequirement requirement = Assert.Single(document.Security ?? []);
        Assert.Equal(expected.Order(StringComparer.Ordinal), requirement.Keys.Select(scheme => scheme.Reference.Id!).Order(StringComparer.Ordinal));
        IOpenApiSecurityScheme key = document.Components.SecuritySchemes[ItemsDocument.ApiKeyScheme];
        Assert.Equal((SecuritySchemeType.ApiKey, Microsoft.OpenApi.ParameterLocation.Header, policy.ApiKeyHeader), (key.Type, key.In, key.Name));
    }
}
