using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ItemsApi.Core.Auth;
using ItemsApi.Core.Items;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.DeployTime.Project;
using ItemsApi.DeployTime.Settings;
using ItemsApi.LocalGateway;
using Microsoft.Extensions.Time.Testing;

namespace ItemsApi.TestKit;

/// <summary>
/// The local stage in-process on a free loopback port, on a <see cref="FakeTimeProvider"/> the test moves, with its access
/// and error logs kept for the test to read.
/// </summary>
public sealed class LocalStage : IAsyncDisposable
{
    public const string ApiKey = "local-stage-key-0123456789abcdef";
    /// <summary>The bearer token a <see cref="StartDevAsync"/> stage in authorizer mode accepts; its hash is the stage's configured one.</summary>
    public const string Token = "local-stage-token-Zx9_Qw";
    /// <summary>The dev stack's CORS origin (Pulumi.dev.yaml).</summary>
    public const string DevOrigin = "http://localhost:5173";

    private readonly InMemoryItemStore? _store;
    private readonly StringWriter _accessLog;
    private readonly StringWriter _errorLog;
    private readonly HttpClient _http = new();

    private LocalStage(LocalApiGateway gateway, InMemoryItemStore? store, FakeTimeProvider clock, StringWriter accessLog, StringWriter errorLog,
        StageSettings settings, IReadOnlyList<Route> routes)
    {
        Gateway = gateway;
        _store = store;
        Clock = clock;
        _accessLog = accessLog;
        _errorLog = errorLog;
        Settings = settings;
        Routes = routes;
    }

    public LocalApiGateway Gateway { get; }
    /// <summary>Starts on a Wednesday at 23:00 UTC, an hour before a daily quota's period ends.</summary>
    public FakeTimeProvider Clock { get; }
    public StageSettings Settings { get; }
    public IReadOnlyList<Route> Routes { get; }
    public string ItemsUrl => Gateway.ItemsUrl;

    /// <summary>The in-memory store a <see cref="StartDevAsync"/> stage answers from.</summary>
    public InMemoryItemStore Store => _store ?? throw new InvalidOperationException("This stage answers from dynalite; StartDevAsync starts one on an in-memory store.");

    /// <summary>A stage of the settings' defaults (stage "test") plus <paramref name="config"/>, answering from dynalite.</summary>
    /// <param name="config">Stack config as Pulumi would pass it (key without the project prefix → value).</param>
    /// <param name="dataDirectory">Where dynalite keeps its data across restarts; null keeps it in memory.</param>
    public static Task<LocalStage> StartAsync(Dictionary<string, string>? config = null, string? bearerToken = null, string? dataDirectory = null) =>
        StartAsync(StageSettings.Load(key => config?.GetValueOrDefault(key), "test"), bearerToken, dataDirectory, inMemoryStore: false, RouteTable.All);

    /// <summary>
    /// The dev stack's stage (Pulumi.dev.yaml: CORS origin, usage plan 10/s burst 20, quota) plus <paramref name="config"/>,
    /// answering from an in-memory store and, in authorizer mode, accepting <see cref="Token"/>.
    /// </summary>
    /// <param name="routes">The routes the stage has; null: the route table's.</param>
    public static Task<LocalStage> StartDevAsync(Dictionary<string, string>? config = null, IReadOnlyList<Route>? routes = null)
    {
        Func<string, string?> dev = StackFile.Load(ProjectFiles.FindRoot(), "dev").LocalConfig(BearerTokenAuthorizer.HashToken(Token));
        // The token's hash, as the stack would hold it, for tests that turn the authorizer on.
        string? Config(string key) => config?.GetValueOrDefault(key) ?? dev(key)
            ?? (key == ConfigKeys.AuthorizerTokenHashes.Name ? BearerTokenAuthorizer.HashToken(Token) : null);
        StageSettings settings = StageSettings.Load(Config, "dev");
        return StartAsync(settings, settings.AuthMode == AuthMode.ApiKeyAndAuthorizer ? Token : null, dataDirectory: null, inMemoryStore: true, routes ?? RouteTable.All);
    }

    private static async Task<LocalStage> StartAsync(StageSettings settings, string? bearerToken, string? dataDirectory, bool inMemoryStore, IReadOnlyList<Route> routes)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 18, 23, 0, 0, TimeSpan.Zero));
        InMemoryItemStore? inMemory = inMemoryStore ? new InMemoryItemStore(clock) : null;
        var accessLog = new StringWriter();
        var errorLog = new StringWriter();
        LocalApiGateway gateway = await LocalApiGateway.StartAsync(new LocalGatewayOptions
        {
            Stage = settings,
            ApiKey = ApiKey,
            BearerToken = bearerToken,
            Port = 0,
            DataDirectory = dataDirectory,
            Store = inMemory,
            Routes = routes,
            Clock = clock,
            AccessLog = TextWriter.Synchronized(accessLog),
            ErrorLog = TextWriter.Synchronized(errorLog),
        });
        return new LocalStage(gateway, inMemory, clock, accessLog, errorLog, settings, routes);
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

    /// <summary>The "message" of a JSON answer.</summary>
    public static async Task<string?> MessageAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString();

    /// <summary>What the gateway wrote to its error log (the server's own failures).</summary>
    public string ErrorLog() => _errorLog.ToString();

    /// <summary>The requests the gateway answered, one access-log line each, parsed.</summary>
    public IReadOnlyList<JsonElement> AccessLog() => AccessLogLines.Parse(_accessLog.ToString());

    /// <summary>How many requests the gateway answered: the server side's count.</summary>
    public int RequestsServed => AccessLog().Count;

    public int Statuses(int status) => AccessLog().Count(line => line.GetProperty(AccessLogFormat.Status).GetString() == status.ToString());

    public async Task<int> ItemsStoredAsync() => (await Store.ListAsync(100, null)).Items.Count;

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Gateway.DisposeAsync();
        _accessLog.Dispose();
        _errorLog.Dispose();
    }
}
