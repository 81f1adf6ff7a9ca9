using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.Verify.Tests;

/// <summary>The contract against a healthy local stage: it passes, sends what it says, and leaves nothing behind.</summary>
public sealed class StageContractTests
{
    private static readonly string[] DevChecks =
    [
        CheckNames.KeyAccepted, CheckNames.Create, CheckNames.Get, CheckNames.ListPaging, CheckNames.Replace, CheckNames.StaleIfMatch,
        CheckNames.MissingIfMatch, CheckNames.InvalidJson, CheckNames.NotAnObject, CheckNames.NotJsonContentType, CheckNames.RetriedCreate,
        CheckNames.NoApiKey, CheckNames.WrongApiKey, CheckNames.CorsPreflight, CheckNames.Delete, CheckNames.Cleanup,
    ];

    [Fact]
    public async Task Passes_against_the_local_dev_stage_and_deletes_everything_it_created()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync();
        using var http = new HttpClient();

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options());

        Assert.True(report.Passed, Describe(report));
        Assert.Equal(DevChecks, report.Checks.Select(c => c.Name));
        Assert.All(report.Checks, c => Assert.Equal(CheckStatus.Pass, c.Status));
        Assert.Equal("deleted 2 items", report.Find(CheckNames.Cleanup)!.Detail); // the two paging items; the delete check removed the first
        Assert.Equal(0, await stage.ItemsStoredAsync());
        Assert.Equal(stage.RequestsServed, report.RequestsSent);
        Assert.Equal(DevRequests(), report.RequestsSent);
        Assert.Equal(0, stage.Statuses(429)); // paced well under dev's usage plan (10/s, burst 20)
        Assert.Equal("apiKey", report.AuthMode);
    }

    [Fact]
    public async Task Passes_in_apiKey_authorizer_mode_with_a_token_and_checks_the_401()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync(new() { ["authMode"] = "apiKey+authorizer" });
        using var http = new HttpClient();

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options());

        Assert.True(report.Passed, Describe(report));
        Assert.Equal(CheckStatus.Pass, report.Find(CheckNames.NoBearerToken)!.Status);
        Assert.Equal($"401 Unauthorized from {string.Join(", ", RouteTable.All)}", report.Find(CheckNames.NoBearerToken)!.Detail);
        Assert.Equal(stage.RequestsServed, report.RequestsSent);
        Assert.Equal(DevRequests(authorizer: true), report.RequestsSent);
        Assert.Equal(0, await stage.ItemsStoredAsync());
        Assert.DoesNotContain(LocalStage.Token, Describe(report));
    }

    [Fact]
    public async Task Requests_are_paced_at_the_configured_interval()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync();
        var sentAt = new List<DateTimeOffset>();
        using var http = new HttpClient(new InterceptingHandler((request, forward) =>
        {
            sentAt.Add(stage.Clock.GetUtcNow());
            return forward();
        }));

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options() with { RequestInterval = TimeSpan.FromMilliseconds(250) });

        Assert.True(report.Passed, Describe(report));
        Assert.Equal(report.RequestsSent, sentAt.Count);
        Assert.All(sentAt.Zip(sentAt.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromMilliseconds(250)));
        Assert.True(report.Duration >= TimeSpan.FromMilliseconds(250) * (sentAt.Count - 1), $"duration {report.Duration}");
    }

    [Fact]
    public async Task Without_cors_origins_the_preflight_check_is_skipped_and_the_run_still_passes()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync(new() { ["corsAllowedOrigins"] = "[]" });
        using var http = new HttpClient();

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options());

        Assert.True(report.Passed, Describe(report));
        CheckResult cors = report.Find(CheckNames.CorsPreflight)!;
        Assert.Equal(CheckStatus.Skip, cors.Status);
        Assert.Equal("no CORS origins configured", cors.Detail);
        Assert.Equal(DevRequests(cors: false), report.RequestsSent);
    }

    [Fact]
    public async Task With_cors_origin_star_a_made_up_origin_is_answered_with_star()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync(new() { ["corsAllowedOrigins"] = """["*"]""" });
        using var http = new HttpClient();

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options());

        Assert.True(report.Passed, Describe(report));
        Assert.Equal("204, Access-Control-Allow-Origin * for https://verify.example", report.Find(CheckNames.CorsPreflight)!.Detail);
    }

    [Fact]
    public async Task An_origin_the_stage_does_not_allow_must_not_be_allowed_by_the_preflight()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync();
        using var http = new HttpClient();

        ContractReport report = await StageContract.RunAsync(stage.Target() with { Origin = "https://not-allowed.example" }, http, stage.Options());

        Assert.True(report.Passed, Describe(report));
        Assert.Equal("204, https://not-allowed.example not allowed, as configured", report.Find(CheckNames.CorsPreflight)!.Detail);
    }

    [Theory]
    [InlineData(AuthMode.Iam, "SigV4")]
    [InlineData(AuthMode.ApiKeyAndAuthorizer, "--token")]
    public async Task Targets_verify_cannot_check_are_refused_before_any_request(AuthMode mode, string expected)
    {
        int sent = 0;
        using var http = new HttpClient(new InterceptingHandler((_, forward) => { sent++; return forward(); }));
        var target = new StageTarget { ItemsUrl = new Uri("http://127.0.0.1:9/dev/items"), ApiKey = LocalStage.ApiKey, AuthMode = mode };

        var error = await Assert.ThrowsAsync<VerifyConfigException>(() => StageContract.RunAsync(target, http));

        Assert.Contains(expected, error.Message);
        Assert.Equal(0, sent);
    }

    [Fact]
    public async Task The_gateway_checks_send_one_request_per_route_they_apply_to_and_name_them()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync(new() { ["authMode"] = "apiKey+authorizer" });
        using var http = new HttpClient();

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options());

        Assert.True(report.Passed, Describe(report));
        string every = string.Join(", ", RouteTable.All.Select(r => r.ToString()));
        string withBody = string.Join(", ", RouteTable.All.Where(r => r.RequiresJsonObjectBody).Select(r => r.ToString()));
        Assert.Equal($"403 Forbidden from {every}", report.Find(CheckNames.NoApiKey)!.Detail);
        Assert.Equal($"400 Invalid request body from {withBody}", report.Find(CheckNames.NotAnObject)!.Detail);
        Assert.Equal($"400 Invalid request body from {withBody}", report.Find(CheckNames.InvalidJson)!.Detail);
        Assert.Equal("403 Forbidden", report.Find(CheckNames.WrongApiKey)!.Detail);
        // Each refused request reached its route's method on the stage, and the gateway, not the function, answered.
        var refused = stage.AccessLog().Where(l => l.GetProperty("errorResponseType").GetString() != "-")
            .Select(l => $"{l.GetProperty("httpMethod").GetString()} {l.GetProperty("resourcePath").GetString()} {l.GetProperty("status").GetString()}").ToList();
        Assert.All(RouteTable.All, route => Assert.Contains($"{route} 401", refused));
        Assert.All(RouteTable.All, route => Assert.Contains($"{route} 403", refused));
        Assert.All(RouteTable.All.Where(r => r.RequiresJsonObjectBody), route => Assert.Equal(2, refused.Count(r => r == $"{route} 400")));
    }

    /// <summary>
    /// The requests a passing run against a dev-like stage sends: 23 for the item checks and the one-request checks (the
    /// key, a wrong key, the preflight, the paging items' read-backs, the cleanup's two deletes, the retried create's two creates, 422 and delete among them), plus one per route without the key, two per
    /// route that takes a body, and one per route without the token in apiKey+authorizer mode. From the route table, so a
    /// new route changes it by itself.
    /// </summary>
    internal static int DevRequests(IReadOnlyList<Route>? routes = null, bool authorizer = false, bool cors = true)
    {
        routes ??= RouteTable.All;
        return 23 - (cors ? 0 : 1) + routes.Count(r => r.RequiresApiKey) + 2 * routes.Count(r => r.RequiresJsonObjectBody) + (authorizer ? routes.Count : 0);
    }

    [Fact]
    public void The_readmes_request_counts_are_the_route_tables()
    {
        // README "Verify a stage" tells teams how many requests a run sends (their usage plan counts them).
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        System.Text.RegularExpressions.Match counts = System.Text.RegularExpressions.Regex.Match(readme,
            @"Requests: \*\*(\d+)\*\* for a stage like `dev` \((\d+) without CORS origins");
        Assert.True(counts.Success, "README: no \"Requests: **N** for a stage like `dev` (M without CORS origins\" line");
        Assert.Equal((DevRequests(), DevRequests(cors: false)), (int.Parse(counts.Groups[1].Value), int.Parse(counts.Groups[2].Value)));
    }

    internal static string Describe(ContractReport report) =>
        string.Join("\n", report.Checks.Select(c => $"{c.Status} {c.Name}: {c.Detail}"));
}
