using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ItemsApi.LocalGateway.Tests;

/// <summary>
/// Debian's Chromium, headless, driven over the Chrome DevTools Protocol (a WebSocket on loopback): one page, every
/// network request it makes recorded, JavaScript evaluated in it, screenshots. No driver package: the protocol's
/// few commands used here are JSON messages. Disposing closes the browser, kills it if it does not go, and deletes
/// its temporary profile.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextId;
    private string? _session;

    private HeadlessChromium(Process process, string profile, ClientWebSocket socket)
    {
        _process = process;
        _profile = profile;
        _socket = socket;
        _reader = Task.Run(ReadAsync);
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
        string profile = Directory.CreateTempSubdirectory("items-api-chromium-").FullName;
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        // The flags keep Chromium from calling Google's services (component updates, sync, field trials): the page's
        // own requests are then the only ones, and the machine may have no network at all.
        foreach (string argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
            "--disable-default-apps", "--metrics-recording-only", "--password-store=basic", "--use-mock-keychain",
            $"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
            $"--window-size={width},{height}", "about:blank",
        }) start.ArgumentList.Add(argument);
        string[] rules = (resolveToLoopback ?? []).Select(name => $"MAP {name} 127.0.0.1").ToArray();
        if (rules.Length > 0) start.ArgumentList.Add("--host-resolver-rules=" + string.Join(", ", rules));

        Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}");
        // Chromium writes a lot to stderr (D-Bus, GPU); drain both pipes so it never blocks on a full one.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            Uri endpoint = await BrowserEndpointAsync(profile, process);
            var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            await socket.ConnectAsync(endpoint, CancellationToken.None).WaitAsync(CommandTimeout);
            var browser = new HeadlessChromium(process, profile, socket);
            await browser.OpenPageAsync();
            return browser;
        }
        catch
        {
            KillAndDelete(process, profile);
            throw;
        }
    }

    /// <summary>Opens <paramref name="url"/> and waits for its load event.</summary>
    public async Task NavigateAsync(string url)
    {
        _loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        JsonObject result = await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        if (result["errorText"] is { } error) throw new InvalidOperationException($"Navigating to {url} failed: {error}");
        await _loaded.Task.WaitAsync(CommandTimeout);
    }

    /// <summary>Evaluates a JavaScript expression in the page (awaiting it if it is a promise) and returns its value as JSON.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        JsonObject result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression,
            ["awaitPromise"] = true,
            ["returnByValue"] = true,
        });
        if (result["exceptionDetails"] is JsonObject exception)
            throw new InvalidOperationException("JavaScript failed: " + (exception["exception"]?["description"] ?? exception["text"]));
        return result["result"]?["value"]?.DeepClone();
    }

    /// <summary>Waits until a JavaScript condition is true in the page.</summary>
    public async Task WaitForAsync(string condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!(await EvaluateAsync($"!!({condition})"))!.GetValue<bool>())
        {
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"{what}: not true after {timeout.TotalSeconds} s. Page problems: {string.Join(" | ", Problems)}");
            await Task.Delay(100);
        }
    }

    /// <summary>A PNG of the whole page, not only the window.</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        JsonObject result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        return Convert.FromBase64String(result["data"]!.GetValue<string>());
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Browser.close ends Chromium with its child processes and lets it remove its own files first.
            if (_socket.State == WebSocketState.Open)
                await SendAsync("Browser.close", [], toPage: false).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception exception) when (exception is TimeoutException or InvalidOperationException or WebSocketException or OperationCanceledException)
        {
            // Killed below.
        }
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // Killed below.
        }
        await _stop.CancelAsync();
        _socket.Abort();
        await _reader;
        _socket.Dispose();
        KillAndDelete(_process, _profile);
    }

    private async Task OpenPageAsync()
    {
        string targetId = (await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, toPage: false))["targetId"]!.GetValue<string>();
        _session = (await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = targetId, ["flatten"] = true }, toPage: false))["sessionId"]!.GetValue<string>();
        await SendAsync("Page.enable", []);
        await SendAsync("Runtime.enable", []);
        await SendAsync("Network.enable", []);
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject parameters, bool toPage = true)
    {
        int id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (toPage) message["sessionId"] = _session ?? throw new InvalidOperationException("No page is open.");
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        await _sendGate.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendGate.Release();
        }
        JsonObject answer = await reply.Task.WaitAsync(CommandTimeout);
        if (answer["error"] is JsonObject error) throw new InvalidOperationException($"{method}: {error["message"]}");
        return answer["result"] as JsonObject ?? [];
    }

    /// <summary>Routes replies to their commands and keeps the events the tests look at.</summary>
    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                WebSocketReceiveResult received = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (received.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage) continue;
                JsonObject parsed = JsonNode.Parse(message.ToArray())!.AsObject();
                message.SetLength(0);
                if (parsed["id"] is { } id)
                {
                    if (_pending.TryRemove(id.GetValue<int>(), out TaskCompletionSource<JsonObject>? reply)) reply.TrySetResult(parsed);
                    continue;
                }
                OnEvent(parsed["method"]?.GetValue<string>(), parsed["params"]);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            // The browser closed, or the test is done with it.
        }
        foreach (TaskCompletionSource<JsonObject> reply in _pending.Values) reply.TrySetException(new InvalidOperationException("The browser closed the connection."));
    }

    private void OnEvent(string? method, JsonNode? parameters)
    {
        switch (method)
        {
            case "Network.requestWillBeSent":
                string url = parameters!["request"]!["url"]!.GetValue<string>();
                if (!url.StartsWith("data:", StringComparison.Ordinal)) _requests.Enqueue(url);
                break;
            case "Network.webSocketCreated":
                _requests.Enqueue(parameters!["url"]!.GetValue<string>());
                break;
            case "Page.loadEventFired":
                _loaded.TrySetResult();
                break;
            case "Runtime.exceptionThrown":
                _problems.Enqueue("exception: " + (parameters!["exceptionDetails"]?["exception"]?["description"] ?? parameters["exceptionDetails"]?["text"]));
                break;
            case "Runtime.consoleAPICalled" when parameters!["type"]?.GetValue<string>() == "error":
                _problems.Enqueue("console.error: " + string.Join(" ", parameters["args"]!.AsArray().Select(a => a?["value"] ?? a?["description"])));
                break;
        }
    }

    /// <summary>Chromium writes its DevTools port and path into the profile once it listens.</summary>
    private static async Task<Uri> BrowserEndpointAsync(string profile, Process process)
    {
        string file = Path.Combine(profile, "DevToolsActivePort");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < CommandTimeout)
        {
            if (process.HasExited) throw new InvalidOperationException($"Chromium exited with code {process.ExitCode} before it listened.");
            string[] lines = File.Exists(file) ? await File.ReadAllLinesAsync(file) : [];
            if (lines.Length >= 2 && int.TryParse(lines[0], out int port)) return new Uri($"ws://127.0.0.1:{port}{lines[1]}");
            await Task.Delay(50);
        }
        throw new TimeoutException($"Chromium did not open its DevTools port within {CommandTimeout.TotalSeconds} s.");
    }

    private static void KillAndDelete(Process process, string profile)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        process.Dispose();
        // A renderer may still be writing for a moment after the main process ended.
        for (int attempt = 1; Directory.Exists(profile); attempt++)
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException) when (attempt < 20)
            {
                Thread.Sleep(100);
            }
        }
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
