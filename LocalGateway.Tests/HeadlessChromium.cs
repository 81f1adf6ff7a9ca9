using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace ItemsApi.LocalGateway.Tests;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright (its driver ships in the NuGet package; the browser is the system's,
/// through ExecutablePath, so nothing is downloaded): one page, every network request it makes recorded, JavaScript
/// evaluated in it, screenshots. Disposing closes the browser and Playwright's driver.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly IPage _page;
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _problems = new();

    private HeadlessChromium(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        _page = page;
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith("data:", StringComparison.Ordinal)) _requests.Enqueue(request.Url);
        };
        page.PageError += (_, error) => _problems.Enqueue(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error") _problems.Enqueue(message.Text);
        };
    }

    /// <summary>
    /// The browser: <c>CHROMIUM</c> if set (even when that file is missing: a browser someone named must be there, so
    /// the tests then fail saying so rather than skip), else <c>chromium</c> or <c>chromium-browser</c> on PATH; null if none.
    /// </summary>
    public static string? Executable { get; } = Find();

    /// <summary>Why the browser tests cannot run here (nothing named and nothing on PATH), or null when they should run.</summary>
    public static string? MissingReason => Executable is null
        ? "headless Chromium is not installed: install the Debian package chromium (CI's .ci/run does), or set CHROMIUM to a Chromium binary"
        : null;

    /// <summary>Every URL the page requested over the network (data: URLs are not requests and are left out).</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>Uncaught exceptions and console errors in the page.</summary>
    public IReadOnlyList<string> Problems => [.. _problems];

    /// <param name="resolveToLoopback">Host names the browser resolves to 127.0.0.1, as if their DNS had been rebound there.</param>
    public static async Task<HeadlessChromium> StartAsync(int width = 1280, int height = 1600, IEnumerable<string>? resolveToLoopback = null)
    {
        string executable = Executable ?? throw new InvalidOperationException(MissingReason);
        if (!File.Exists(executable)) throw new FileNotFoundException($"CHROMIUM names {executable}, which does not exist: point it at a Chromium or Chrome binary, or unset it to use chromium from PATH.", executable);
        // The flags keep Chromium from calling Google's services (component updates, sync, field trials): the page's
        // own requests are then the only ones, and the machine may have no network at all.
        var arguments = new List<string>
        {
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-default-apps", "--metrics-recording-only",
        };
        string[] rules = (resolveToLoopback ?? []).Select(name => $"MAP {name} 127.0.0.1").ToArray();
        if (rules.Length > 0) arguments.Add("--host-resolver-rules=" + string.Join(", ", rules));

        IPlaywright playwright = await Playwright.CreateAsync();
        try
        {
            IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable, Headless = true, Args = arguments, Timeout = (float)CommandTimeout.TotalMilliseconds,
            });
            IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
            page.SetDefaultTimeout((float)CommandTimeout.TotalMilliseconds);
            return new HeadlessChromium(playwright, browser, page);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Opens <paramref name="url"/> and waits for its load event.</summary>
    public async Task NavigateAsync(string url)
    {
        try
        {
            await _page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        }
        catch (PlaywrightException failure)
        {
            throw new InvalidOperationException($"Navigating to {url} failed: {failure.Message}", failure);
        }
    }

    /// <summary>Evaluates a JavaScript expression in the page (awaiting it if it is a promise) and returns its value as JSON.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        try
        {
            JsonElement? value = await _page.EvaluateAsync<JsonElement?>(expression);
            return value is { ValueKind: not JsonValueKind.Undefined } element ? JsonNode.Parse(element.GetRawText()) : null;
        }
        catch (PlaywrightException failure)
        {
            throw new InvalidOperationException("JavaScript failed: " + failure.Message, failure);
        }
    }

    /// <summary>Waits until a JavaScript condition is true in the page.</summary>
    public async Task WaitForAsync(string condition, TimeSpan timeout, string what)
    {
        try
        {
            await _page.WaitForFunctionAsync($"() => !!({condition})", null, new PageWaitForFunctionOptions { Timeout = (float)timeout.TotalMilliseconds, PollingInterval = 100 });
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{what}: not true after {timeout.TotalSeconds} s. Page problems: {string.Join(" | ", Problems)}");
        }
    }

    /// <summary>A PNG of the whole page, not only the window.</summary>
    public Task<byte[]> ScreenshotAsync() => _page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true, Type = ScreenshotType.Png });

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }

    private static string? Find() => Find(Environment.GetEnvironmentVariable, File.Exists);

    internal static string? Find(Func<string, string?> environment, Func<string, bool> fileExists)
    {
        if (environment("CHROMIUM") is { Length: > 0 } configured) return configured;
        string[] path = (environment("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return new[] { "chromium", "chromium-browser" }
            .SelectMany(name => path.Select(directory => Path.Combine(directory, name)))
            .FirstOrDefault(fileExists);
    }
}
