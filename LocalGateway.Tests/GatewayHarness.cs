using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.LocalGateway.Tests;

/// <summary>Starts the local gateway in-process on a free loopback port and talks to it over HTTP.</summary>
public sealed class GatewayHarness : IAsyncDisposable
{
    public const string ApiKey = "test-api-key-0123456789";

    private readonly StringWriter _accessLog;
    private readonly StringWriter _errorLog;
    private readonly HttpClient _http = new();

    private GatewayHarness(LocalApiGateway gateway, ManualClock clock, StringWriter accessLog, StringWriter errorLog)
    {
        Gateway = gateway;
        Clock = clock;
        _accessLog = accessLog;
        _errorLog = errorLog;
    }

    public LocalApiGateway Gateway { get; }
    public ManualClock Clock { get; }
    public string ItemsUrl => Gateway.ItemsUrl;

    /// <param name="config">Stack config as Pulumi would pass it (key without the project prefix → value).</param>
    public static async Task<GatewayHarness> StartAsync(Dictionary<string, string>? config = null, string? bearerToken = null, string? dataDirectory = null)
    {
        var clock = new ManualClock();
        var accessLog = new StringWriter();
        var errorLog = new StringWriter();
        LocalApiGateway gateway = await LocalApiGateway.StartAsync(new LocalGatewayOptions
        {
            Stage = StageSettings.Load(key => config?.GetValueOrDefault(key), "test"),
            ApiKey = ApiKey,
            BearerToken = bearerToken,
            Port = 0,
            DataDirectory = dataDirectory,
            Clock = clock,
            AccessLog = accessLog,
            ErrorLog = TextWriter.Synchronized(errorLog),
        });
        return new GatewayHarness(gateway, clock, accessLog, errorLog);
    }

    /// <param name="contentType">The body's Content-Type header, exactly as sent; null sends none.</param>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? body = null,
        string? apiKey = ApiKey, IEnumerable<(string Name, string Value)>? headers = null, string? contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, url);
        if (apiKey is not null) request.Headers.Add("x-api-key", apiKey);
        foreach ((string name, string value) in headers ?? []) request.Headers.TryAddWithoutValidation(name, value);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        return _http.SendAsync(request);
    }

    /// <summary>What the gateway wrote to its error log (the server's own failures).</summary>
    public string ErrorLog() => _errorLog.ToString();

    public static async Task<string?> MessageAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString();

    /// <summary>The access-log lines written so far, parsed.</summary>
    public IReadOnlyList<JsonElement> AccessLogLines() =>
        _accessLog.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Gateway.DisposeAsync();
        _accessLog.Dispose();
        _errorLog.Dispose();
    }
}
