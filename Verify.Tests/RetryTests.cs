using System.Net;

namespace ItemsApi.Verify.Tests;

/// <summary>The waits verify makes: for a new API key to come into effect, and after a 429.</summary>
public sealed class RetryTests
{
    private const string Forbidden = """{"message":"Forbidden"}""";

    [Fact]
    public async Task A_new_key_that_answers_403_for_a_few_seconds_is_waited_for()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync();
        InterceptingHandler? proxy = null;
        // The key is "not yet active" for the first three requests that carry it, as just after `pulumi up`.
        proxy = new InterceptingHandler((request, forward) =>
            request.Headers.Contains("x-api-key") && proxy!.AnsweredHere < 3
                ? Task.FromResult(proxy.Answer(HttpStatusCode.Forbidden, Forbidden))
                : forward());
        using var http = new HttpClient(proxy);
        DateTimeOffset started = stage.Clock.GetUtcNow();

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options());

        Assert.True(report.Passed, StageContractTests.Describe(report));
        Assert.Equal("200 after 3 × 403 over 7 s (a new key takes a few seconds)", report.Find(CheckNames.KeyAccepted)!.Detail);
        Assert.Equal(3, proxy.AnsweredHere);
        Assert.Equal(stage.RequestsServed + proxy.AnsweredHere, report.RequestsSent);
        Assert.Equal(StageContractTests.DevRequests() + 3, report.RequestsSent);
        Assert.True(stage.Clock.GetUtcNow() - started >= TimeSpan.FromSeconds(1 + 2 + 4));
    }

    [Fact]
    public async Task With_key_wait_zero_a_403_fails_at_once()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync();
        using var http = new HttpClient();

        ContractReport report = await StageContract.RunAsync(stage.Target(apiKey: "another-key-of-enough-length-0"), http,
            stage.Options() with { KeyWait = TimeSpan.Zero });

        Assert.Equal(CheckStatus.Fail, report.Find(CheckNames.KeyAccepted)!.Status);
        Assert.Equal(1, report.RequestsSent);
        Assert.Equal(1, stage.RequestsServed);
    }

    [Fact]
    public async Task Only_403_is_waited_for_a_401_fails_at_once()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync(new() { ["authMode"] = "apiKey+authorizer" });
        using var http = new HttpClient();

        ContractReport report = await StageContract.RunAsync(stage.Target() with { BearerToken = "not-the-token" }, http, stage.Options());

        CheckResult key = report.Find(CheckNames.KeyAccepted)!;
        Assert.StartsWith("the bearer token was refused (401): check --token\n", key.Detail);
        Assert.Contains("Authorization: Bearer ***", key.Detail);
        Assert.DoesNotContain("not-the-token", key.Detail);
        Assert.Equal(1, report.RequestsSent);
    }

    [Fact]
    public async Task The_usage_plan_throttle_answers_429_and_verify_backs_off_until_it_passes()
    {
        // A usage plan far below verify's pace: 1 request a second, burst 2, against verify's 5 a second.
        await using LocalStage stage = await LocalStage.StartDevAsync(new() { ["usagePlanRateLimit"] = "1", ["usagePlanBurstLimit"] = "2" });
        using var http = new HttpClient();

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options());

        Assert.True(report.Passed, StageContractTests.Describe(report));
        Assert.True(stage.Statuses(429) > 0, "the gateway never throttled");
        Assert.Equal(stage.RequestsServed, report.RequestsSent);
        Assert.Equal(StageContractTests.DevRequests() + stage.Statuses(429), report.RequestsSent);
        Assert.Equal(0, await stage.ItemsStoredAsync());
    }

    [Fact]
    public async Task A_429_that_does_not_clear_fails_after_the_retries_with_doubling_waits()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync();
        var sentAt = new List<DateTimeOffset>();
        InterceptingHandler? proxy = null;
        proxy = new InterceptingHandler((request, forward) =>
        {
            sentAt.Add(stage.Clock.GetUtcNow());
            return Task.FromResult(proxy!.Answer(HttpStatusCode.TooManyRequests, """{"message":"Too Many Requests"}"""));
        });
        using var http = new HttpClient(proxy);

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options() with { ThrottleRetries = 3 });

        CheckResult key = report.Find(CheckNames.KeyAccepted)!;
        Assert.StartsWith("expected 200, got 429\n", key.Detail);
        Assert.Contains("response: 429 (attempt 4: the earlier ones got 429)", key.Detail);
        Assert.Equal(4, report.RequestsSent);
        Assert.Equal(proxy.AnsweredHere, report.RequestsSent);
        Assert.Equal([1, 2, 4], sentAt.Zip(sentAt.Skip(1)).Select(pair => (pair.Second - pair.First).TotalSeconds));
    }
}
