using System.Text.Json;
using ItemsApi.Core.Auth;
using ItemsApi.Core.Items;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Settings;
using ItemsApi.LocalGateway;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.Verify.Tests;

/// <summary>
/// The local stage in-process on a free loopback port, configured from Pulumi.dev.yaml (CORS origin, usage plan
/// 10/s burst 20, quota) plus overrides, answering from an in-memory store on a <see cref="FakeClock"/>.
/// </summary>
public sealed class LocalStage : IAsyncDisposable
{
    public const string ApiKey = "verify-tests-key-0123456789abcdef";
    public const string Token = "verify-tests-token-Zx9_Qw";
    /// <summary>The dev stack's CORS origin (Pulumi.dev.yaml).</summary>
    public const string DevOrigin = "http://localhost:5173";

    private readonly StringWriter _accessLog;

    private LocalStage(LocalApiGateway gateway, InMemoryItemStore store, FakeClock clock, StringWriter accessLog, StageSettings settings, IReadOnlyList<Route> routes)
    {
        Routes = routes;
        Gateway = gateway;
        Store = store;
        Clock = clock;
        _accessLog = accessLog;
        Settings = settings;
    }

    public LocalApiGateway Gateway { get; }
    public InMemoryItemStore Store { get; }
    public FakeClock Clock { get; }
    public StageSettings Settings { get; }
    public IReadOnlyList<Route> Routes { get; }
    public Uri ItemsUrl => new(Gateway.ItemsUrl);

    /// <param name="config">Overrides of the dev stack's config (key without the project prefix → value).</param>
    /// <param name="routes">The routes the stage has; null: the route table's.</param>
    public static async Task<LocalStage> StartAsync(Dictionary<string, string>? config = null, IReadOnlyList<Route>? routes = null)
    {
        Func<string, string?> dev = StackFile.Load(ProjectFiles.FindRoot(), "dev").LocalConfig(BearerTokenAuthorizer.HashToken(Token));
        // The token's hash, as the stack would hold it, for tests that turn the authorizer on.
        string? Config(string key) => config?.GetValueOrDefault(key) ?? dev(key)
            ?? (key == ConfigKeys.AuthorizerTokenHashes.Name ? BearerTokenAuthorizer.HashToken(Token) : null);
        StageSettings settings = StageSettings.Load(Config, "dev");
        var clock = new FakeClock();
        var store = new InMemoryItemStore(clock);
        var accessLog = new StringWriter();
        LocalApiGateway gateway = await LocalApiGateway.StartAsync(new LocalGatewayOptions
        {
            Stage = settings,
            ApiKey = ApiKey,
            BearerToken = Token,
            Port = 0,
            Store = store,
            Routes = routes ?? RouteTable.All,
            Clock = clock,
            AccessLog = TextWriter.Synchronized(accessLog),
            ErrorLog = TextWriter.Null,
        });
        return new LocalStage(gateway, store, clock, accessLog, settings, routes ?? RouteTable.All);
    }

    /// <summary>What verify needs to know about this stage, as the stack outputs would say it.</summary>
    public StageTarget Target(string? apiKey = null) => new()
    {
        ItemsUrl = ItemsUrl,
        ApiKey = apiKey ?? ApiKey,
        BearerToken = Settings.AuthMode == AuthMode.ApiKeyAndAuthorizer ? Token : null,
        AuthMode = Settings.AuthMode,
        CorsAllowedOrigins = Settings.CorsAllowedOrigins,
        Routes = Routes,
    };

    /// <summary>Options that pace and back off on the fake clock: no real waiting.</summary>
    public ContractOptions Options() => new() { Clock = Clock, Delay = Clock.Delay };

    /// <summary>The requests the gateway answered, one access-log line each: the server side's count.</summary>
    public IReadOnlyList<JsonElement> AccessLog() =>
        _accessLog.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();

    public int RequestsServed => AccessLog().Count;

    public int Statuses(int status) => AccessLog().Count(line => line.GetProperty("status").GetString() == status.ToString());

    public async Task<int> ItemsStoredAsync() => (await Store.ListAsync(100, null)).Items.Count;

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        _accessLog.Dispose();
    }
}
