using System.Net;
using System.Text.Json;
using ItemsApi.Core.Http;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.LocalGateway.Tests;

/// <summary>
/// The deployed stage answers CORS preflights with a MOCK integration (DeployTime/Gateway/CorsPreflight): no function
/// runs. The local run does the same, from the same source (<see cref="CorsPolicy.Preflight"/>, which the MOCK's template
/// is generated from), and its access log shows it: no integration.
/// </summary>
public sealed class PreflightTests
{
    [Theory]
    [InlineData("https://b.example.com")]
    [InlineData("https://evil.example")]
    public async Task A_preflight_is_answered_without_calling_the_function(string origin)
    {
        await using LocalStage api = await LocalStage.StartAsync(new() { ["corsAllowedOrigins"] = """["https://a.example.com","https://b.example.com"]""" });
        HttpResponseMessage preflight = await api.SendAsync(HttpMethod.Options, api.ItemsUrl, apiKey: null,
            headers: [("Origin", origin), ("Access-Control-Request-Method", "POST")]);

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        StageSettings settings = StageSettings.Load(key => key == "corsAllowedOrigins" ? """["https://a.example.com","https://b.example.com"]""" : null, "test");
        ApiResponse expected = GatewayPolicy.For(settings).Cors.Preflight(origin, RouteTable.MethodsFor(RouteTable.ItemsPath));
        foreach ((string name, string value) in expected.Headers) Assert.Equal(value, preflight.Headers.GetValues(name).Single());
        Assert.Equal(origin == "https://b.example.com", preflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal("Origin", preflight.Headers.GetValues("Vary").Single());

        JsonElement line = api.AccessLog().Single();
        Assert.Equal(RouteTable.ItemsPath, line.GetProperty("resourcePath").GetString());
        Assert.Equal("-", line.GetProperty("integrationStatus").GetString()); // no integration ran ("-", as API Gateway writes an empty field)
        Assert.Equal("-", line.GetProperty("integrationLatency").GetString());
    }
}
