using ItemsApi.DeployTime.Settings;

namespace ItemsApi.Verify.Tests;

/// <summary>The contract against a healthy local stage: it passes, sends what it says, and leaves nothing behind.</summary>
public sealed class StageContractTests
{
    private static readonly string[] DevChecks =
    [
        CheckNames.KeyAccepted, CheckNames.Create, CheckNames.Get, CheckNames.ListPaging, CheckNames.Replace, CheckNames.StaleIfMatch,
        CheckNames.MissingIfMatch, CheckNames.InvalidJson, CheckNames.NotAnObject, CheckNames.NotJsonContentType, CheckNames.NoApiKey, CheckNames.WrongApiKey,
        CheckNames.CorsPreflight, CheckNames.Delete, CheckNames.Cleanup,
    ];

    [Fact]
    public async Task Passes_against_the_local_dev_stage_and_deletes_everything_it_created()
    {
        await using LocalStage stage = await LocalStage.StartAsync();
        using var http = new HttpClient();

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options());

        Assert.True(report.Passed, Describe(report));
        Assert.Equal(DevChecks, report.Checks.Select(c => c.Name));
        Assert.All(report.Checks, c => Assert.Equal(CheckStatus.Pass, c.Status));
        Assert.Equal("deleted 2 items", report.Find(CheckNames.Cleanup)!.Detail); // the two paging items; the delete check removed the first
        Assert.Equal(0, await stage.ItemsStoredAsync());
        Assert.Equal(stage.RequestsServed, report.RequestsSent);
        Assert.Equal(20, report.RequestsSent); // the figure the README gives for a dev stage
        Assert.Equal(0, stage.Statuses(429)); // paced well under dev's usage plan (10/s, burst 20)
        Assert.Equal("apiKey", report.AuthMode);
    }

    [Fact]
    public async Task Passes_in_apiKey_authorizer_mode_with_a_token_and_checks_the_401()
    {
        await using LocalStage stage = await LocalStage.StartAsync(new() { ["authMode"] = "apiKey+authorizer" });
        using var http = new HttpClient();

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options());

        Assert.True(report.Passed, Describe(report));
        Assert.Equal(CheckStatus.Pass, report.Find(CheckNames.NoBearerToken)!.Status);
        Assert.Equal("401 Unauthorized", report.Find(CheckNames.NoBearerToken)!.Detail);
        Assert.Equal(stage.RequestsServed, report.RequestsSent);
        Assert.Equal(21, report.RequestsSent);
        Assert.Equal(0, await stage.ItemsStoredAsync());
        Assert.DoesNotContain(LocalStage.Token, Describe(report));
    }

    [Fact]
    public async Task Requests_are_paced_at_the_configured_interval()
    {
        await using LocalStage stage = await LocalStage.StartAsync();
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
        await using LocalStage stage = await LocalStage.StartAsync(new() { ["corsAllowedOrigins"] = "[]" });
        using var http = new HttpClient();

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options());

        Assert.True(report.Passed, Describe(report));
        CheckResult cors = report.Find(CheckNames.CorsPreflight)!;
        Assert.Equal(CheckStatus.Skip, cors.Status);
        Assert.Equal("no CORS origins configured", cors.Detail);
        Assert.Equal(19, report.RequestsSent);
    }

    [Fact]
    public async Task With_cors_origin_star_a_made_up_origin_is_answered_with_star()
    {
        await using LocalStage stage = await LocalStage.StartAsync(new() { ["corsAllowedOrigins"] = """["*"]""" });
        using var http = new HttpClient();

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options());

        Assert.True(report.Passed, Describe(report));
        Assert.Equal("204, Access-Control-Allow-Origin * for https://verify.example", report.Find(CheckNames.CorsPreflight)!.Detail);
    }

    [Fact]
    public async Task An_origin_the_stage_does_not_allow_must_not_be_allowed_by_the_preflight()
    {
        await using LocalStage stage = await LocalStage.StartAsync();
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

    internal static string Describe(ContractReport report) =>
        string.Join("\n", report.Checks.Select(c => $"{c.Status} {c.Name}: {c.Detail}"));
}
