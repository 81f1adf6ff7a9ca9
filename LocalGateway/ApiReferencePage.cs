using System.Text.Json;
using ItemsApi.DeployTime.OpenApi;
using Swashbuckle.AspNetCore.SwaggerUI;

namespace ItemsApi.LocalGateway;

/// <summary>
/// The API reference page at <c>/docs</c>: swagger-ui (Swashbuckle.AspNetCore.SwaggerUI, which embeds swagger-ui's
/// scripts and styles and serves them from this process, so the page needs no network) rendering the same
/// <c>/openapi.json</c> the gateway serves. That document names the local stage as its server, and the page is
/// authorized with the local key (and token), so its "Try it out" calls the local stage as the banner's curl does.
/// </summary>
public static class ApiReferencePage
{
    public const string Path = "/docs";

    public static void Use(WebApplication app, LocalGatewayOptions options)
    {
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = Path.TrimStart('/');
            ui.DocumentTitle = $"Items API, local stage '{options.Stage.StageName}'";
            ui.SwaggerEndpoint("/openapi.json", $"Items API ({options.Stage.StageName}, local)");
            ui.EnableTryItOutByDefault();
            ui.DisplayRequestDuration();
            ui.ConfigObject.Plugins = [AuthorizePlugin(options.ApiKey, options.BearerToken)];
        });
    }

    /// <summary>
    /// A swagger-ui plugin (Swashbuckle evaluates it in the page) that authorizes the page each time the document
    /// loads: swagger-ui has no setting for a key value, only <c>preauthorizeApiKey</c>, which needs the loaded
    /// document's security schemes. The key is the one the banner prints; the page is served on loopback only.
    /// </summary>
    private static string AuthorizePlugin(string apiKey, string? bearerToken)
    {
        string bearer = bearerToken is null ? "" : $"system.preauthorizeApiKey({Js(OpenApiDocument.BearerScheme)}, {Js(bearerToken)});";
        return $$"""
            (function () {
              return {
                statePlugins: {
                  spec: {
                    wrapActions: {
                      updateJsonSpec: function (original, system) {
                        return function () {
                          var result = original.apply(null, arguments);
                          system.preauthorizeApiKey({{Js(OpenApiDocument.ApiKeyScheme)}}, {{Js(apiKey)}});
                          {{bearer}}
                          return result;
                        };
                      }
                    }
                  }
                }
              };
            })
            """;
    }

    /// <summary>A JavaScript string literal (JSON's), so no value can end the script.</summary>
    private static string Js(string value) => JsonSerializer.Serialize(value);
}
