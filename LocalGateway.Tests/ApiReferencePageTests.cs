using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ItemsApi.Core.Auth;
using ItemsApi.Core.Items;
using ItemsApi.DeployTime.Settings;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.LocalGateway.Tests;

/// <summary>
/// The API reference page at /docs: swagger-ui on the local stage's OpenAPI document, served whole by the local run,
/// with the stage's server and key filled in. The browser tests open it in headless Chromium.
/// </summary>
public sealed class ApiReferencePageTests
{

    /// <summary>Where the browser test leaves its screenshots; ./test.sh prints their paths.</summary>
    public static readonly string ScreenshotDirectory = Path.Combine(ProjectFiles.FindRoot(), "TestResults");

    [Fact]
    public async Task Docs_redirects_to_the_page_whose_scripts_and_styles_the_local_run_serves_itself()
    {
        await using LocalStage stage = await StartAsync(AuthMode.ApiKey);
        LocalApiGateway gateway = stage.Gateway;
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        HttpResponseMessage redirect = await http.GetAsync(gateway.DocsUrl);
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        var page = new Uri(new Uri(gateway.DocsUrl), redirect.Headers.Location!);
        Assert.Equal(gateway.DocsUrl + "/index.html", page.ToString());

        string html = await http.GetStringAsync(page);
        string[] assets = System.Text.RegularExpressions.Regex.Matches(html, @"(?:src|href)=""([^""]+)""").Select(m => m.Groups[1].Value).ToArray();
        Assert.Contains("./swagger-ui-bundle.js", assets);
        Assert.Contains("./swagger-ui.css", assets);
        foreach (string asset in assets)
        {
            Assert.False(Uri.TryCreate(asset, UriKind.Absolute, out _), $"{asset} is not served by the local run");
            HttpResponseMessage response = await http.GetAsync(new Uri(page, asset));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task The_page_reads_the_local_document_and_carries_the_key()
    {
        await using LocalStage stage = await StartAsync(AuthMode.ApiKey);
        LocalApiGateway gateway = stage.Gateway;
        using var http = new HttpClient();

        string script = await http.GetStringAsync(gateway.DocsUrl + "/index.js");

        Assert.Contains("""{"url":"/openapi.json","name":"Items API (dev, local)"}""", script);
        Assert.Contains($"preauthorizeApiKey(\\u0022apiKey\\u0022, \\u0022{LocalStage.ApiKey}\\u0022)", script);
        Assert.DoesNotContain("bearer", script);
    }

    [Fact]
    public async Task In_authorizer_mode_the_document_requires_key_and_bearer_token_and_the_page_carries_both()
    {
        await using LocalStage stage = await StartAsync(AuthMode.ApiKeyAndAuthorizer);
        LocalApiGateway gateway = stage.Gateway;
        using var http = new HttpClient();

        JsonElement document = await http.GetFromJsonAsync<JsonElement>(gateway.BaseUrl + "openapi.json");
        JsonElement bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal(("http", "bearer"), (bearer.GetProperty("type").GetString(), bearer.GetProperty("scheme").GetString()));
        // One requirement naming both: every call needs the key and the token.
        Assert.Equal(["apiKey", "bearer"], Assert.Single(document.GetProperty("security").EnumerateArray()).EnumerateObject().Select(p => p.Name));
        string script = await http.GetStringAsync(gateway.DocsUrl + "/index.js");
        Assert.Contains($"preauthorizeApiKey(\\u0022bearer\\u0022, \\u0022{LocalStage.Token}\\u0022)", script);
    }

    [RequiresFact(typeof(Chromium))]
    public Task In_headless_chromium_the_page_lists_every_operation_and_try_it_creates_an_item_offline() =>
        TryItInChromiumAsync(AuthMode.ApiKey, "docs-page.png");

    [RequiresFact(typeof(Chromium))]
    public Task In_authorizer_mode_the_page_also_sends_the_bearer_token() =>
        TryItInChromiumAsync(AuthMode.ApiKeyAndAuthorizer, "docs-page-authorizer.png");

    private static async Task TryItInChromiumAsync(AuthMode authMode, string screenshot)
    {
        await using LocalStage stage = await StartAsync(authMode);
        LocalApiGateway gateway = stage.Gateway;
        using var http = new HttpClient();
        JsonElement document = await http.GetFromJsonAsync<JsonElement>(gateway.BaseUrl + "openapi.json");
        string[] operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {path.Name}"))
            .Order().ToArray();

        await using HeadlessChromium browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(gateway.DocsUrl);
        await browser.WaitForAsync($"document.querySelectorAll('.opblock').length >= {operations.Length}", TimeSpan.FromSeconds(30), "swagger-ui lists the operations");

        // Every operation of the document, by method and path.
        JsonNode shown = (await browser.EvaluateAsync("""
            [...document.querySelectorAll('.opblock')].map(block =>
              block.querySelector('.opblock-summary-method').textContent + ' ' + block.querySelector('.opblock-summary-path').getAttribute('data-path'))
            """))!;
        Assert.Equal(operations, shown.AsArray().Select(o => o!.GetValue<string>()).Order());

        // The local stage is the server, and the page is authorized with the banner's key (and token).
        Assert.Equal(gateway.ItemsUrl[..^"/items".Length], (await browser.EvaluateAsync("document.querySelector('.servers select').value"))!.GetValue<string>());
        JsonNode authorized = (await browser.EvaluateAsync("window.ui.authSelectors.authorized().toJS()"))!;
        Assert.Equal(LocalStage.ApiKey, authorized["apiKey"]?["value"]?.GetValue<string>());
        Assert.Equal(authMode == AuthMode.ApiKeyAndAuthorizer ? LocalStage.Token : null, authorized["bearer"]?["value"]?.GetValue<string>());

        // "Try it out" on POST /items, as a user does: open it, write the body, Execute.
        const string post = "#operations-default-createItem";
        await browser.EvaluateAsync($"document.querySelector('{post} .opblock-summary-control').click()");
        await browser.WaitForAsync($"document.querySelector('{post} textarea.body-param__text') && document.querySelector('{post} .execute')", TimeSpan.FromSeconds(10), "the request form opens");
        await browser.EvaluateAsync($$"""
            (() => {
              const body = document.querySelector('{{post}} textarea.body-param__text');
              // swagger-ui is a React app: set the value the way typing does, so React sees it.
              Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set.call(body, '{"name":"lamp from the docs page","price":12.5}');
              body.dispatchEvent(new Event('input', { bubbles: true }));
              document.querySelector('{{post}} .execute').click();
            })()
            """);
        await browser.WaitForAsync($"document.querySelector('{post} .live-responses-table tbody .response-col_status')", TimeSpan.FromSeconds(15), "the response is shown");
        string status = (await browser.EvaluateAsync($"document.querySelector('{post} .live-responses-table tbody .response-col_status').textContent.trim()"))!.GetValue<string>();

        Directory.CreateDirectory(ScreenshotDirectory);
        await File.WriteAllBytesAsync(Path.Combine(ScreenshotDirectory, screenshot), await browser.ScreenshotAsync());

        Assert.Equal("201", status);
        ItemPage stored = await stage.Store.ListAsync(10, null, CancellationToken.None);
        Assert.Equal("""{"name":"lamp from the docs page","price":12.5}""", Assert.Single(stored.Items).DocumentJson);

        // Offline: the page, its scripts and styles, the document and the call all went to the local run.
        Assert.NotEmpty(browser.Requests);
        Assert.All(browser.Requests, url => Assert.Equal("127.0.0.1", new Uri(url).Host));
        Assert.Contains(browser.Requests, url => url.EndsWith("/docs/swagger-ui-bundle.js", StringComparison.Ordinal));
        Assert.Contains(browser.Requests, url => url.EndsWith("/openapi.json", StringComparison.Ordinal));
        Assert.Contains(gateway.ItemsUrl, browser.Requests);
        Assert.Empty(browser.Problems);
    }

    /// <summary>The dev stack's stage in this auth mode.</summary>
    private static Task<LocalStage> StartAsync(AuthMode authMode) =>
        LocalStage.StartDevAsync(new() { [ConfigKeys.AuthMode.Name] = ConfigKeys.AuthMode.WordFor(authMode) });
}

/// <summary>A test that drives headless Chromium; skipped, with the reason, where none is installed.</summary>
public sealed class HeadlessChromiumDiscoveryTests
{
    [Fact]
    public void A_named_browser_is_used_even_when_missing_so_the_tests_fail_instead_of_skipping()
    {
        Assert.Equal("/opt/missing/chrome", HeadlessChromium.Find(name => name == "CHROMIUM" ? "/opt/missing/chrome" : "/usr/bin", _ => false));
        // Nothing named: the first chromium on PATH, or none, which skips the browser tests with the reason.
        Assert.Equal("/b/chromium", HeadlessChromium.Find(name => name == "PATH" ? "/a:/b" : null, file => file == "/b/chromium"));
        Assert.Null(HeadlessChromium.Find(name => name == "PATH" ? "/a:/b" : "", _ => false));
    }
}

/// <summary>Headless Chromium, for the browser tests.</summary>
public sealed class Chromium : IRequirement
{
    public string? Missing => HeadlessChromium.MissingReason;
}
