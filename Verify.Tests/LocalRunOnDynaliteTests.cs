using System.Net.Http.Json;
using System.Text.Json;
using ItemsApi.DeployTime.Settings;
using ItemsApi.LocalGateway;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.Verify.Tests;

/// <summary>
/// The README's check of the local run, end to end: the local gateway on dynalite (as `dotnet run --project
/// LocalGateway` starts it), verify's command line with its real HTTP stack, pacing and clock.
/// </summary>
public sealed class LocalRunOnDynaliteTests
{
    [Fact]
    public async Task Verify_passes_against_the_local_run_on_dynalite_and_leaves_the_table_as_it_was()
    {
        StackFile dev = StackFile.Load(ProjectFiles.FindRoot(), "dev");
        StageSettings settings = StageSettings.Load(dev.LocalConfig(""), "dev");
        await using LocalApiGateway gateway = await LocalApiGateway.StartAsync(new LocalGatewayOptions
        {
            Stage = settings,
            ApiKey = LocalStage.ApiKey,
            Port = 0,
            AccessLog = TextWriter.Null,
            ErrorLog = TextWriter.Null,
        });
        var output = new StringWriter();
        var error = new StringWriter();

        // The README's command for the local run: URL and key from the banner, the dev stack's origin.
        int exit = await VerifyCli.RunAsync(["--url", gateway.ItemsUrl, "--api-key", LocalStage.ApiKey, "--origin", settings.CorsAllowedOrigins[0]], output, error,
            new VerifyEnvironment { SearchPath = FakePulumi.EmptySearchPath() });

        Assert.True(exit == VerifyCli.Passed, output.ToString() + error);
        Assert.Contains("PASS CORS preflight", output.ToString().Split('\n'));
        using var http = new HttpClient();
        using var list = new HttpRequestMessage(HttpMethod.Get, gateway.ItemsUrl) { Headers = { { "x-api-key", LocalStage.ApiKey } } };
        JsonElement page = await (await http.SendAsync(list)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, page.GetProperty("items").GetArrayLength());
    }
}
