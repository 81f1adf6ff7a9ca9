using System.Net;
using ItemsApi.Core.Routes;
using Microsoft.Extensions.Time.Testing;

namespace ItemsApi.Verify.Tests;

/// <summary>
/// The contract against stages that are wrong in one way each: it fails the right check, the report shows the
/// request and the response, the secrets never appear, and the cleanup still runs.
/// </summary>
public sealed class BrokenStageTests
{
    [Fact]
    public async Task A_key_the_gateway_rejects_fails_the_key_check_after_waiting_and_runs_nothing_else()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync();
        using var http = new HttpClient();
        const string wrongKey = "this-key-is-not-the-stage-key-42";

        ContractReport report = await StageContract.RunAsync(stage.Target(apiKey: wrongKey), http,
            stage.Options() with { KeyWait = TimeSpan.FromSeconds(10) });

        Assert.False(report.Passed);
        CheckResult key = report.Checks[0];
        Assert.Equal((CheckNames.KeyAccepted, CheckStatus.Fail), (key.Name, key.Status));
        Assert.StartsWith("the API key was refused (403) for 7 s (--key-wait 10 s)", key.Detail);
        Assert.Contains($"request:  GET {stage.ItemsUrl}?limit=1", key.Detail);
        Assert.Contains("x-api-key: ***", key.Detail);
        Assert.Contains("response: 403", key.Detail);
        Assert.Contains("""body: {"message":"Forbidden"}""", key.Detail);
        Assert.True(report.Checks.Count > 2, StageContractTests.Describe(report)); // checks between the first and the last were skipped, and there are some
        Assert.All(report.Checks.Skip(1).SkipLast(1), c => Assert.Equal(CheckStatus.Skip, c.Status));
        Assert.Equal("nothing left to delete", report.Find(CheckNames.Cleanup)!.Detail);
        // Waited 1 + 2 + 4 s between four tries; another 5 s would pass the 10 s key wait.
        Assert.Equal(4, report.RequestsSent);
        Assert.Equal(stage.RequestsServed, report.RequestsSent);
        AssertNoSecret(report, wrongKey);
    }

    [Fact]
    public async Task A_stage_that_ignores_the_idempotency_key_fails_the_retried_create_check_and_both_items_are_cleaned_up()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync();
        // The proxy drops the header, as a stage without idempotent creates would ignore it: the retry creates a second item.
        using var http = new HttpClient(new InterceptingHandler((request, forward) =>
        {
            request.Headers.Remove(RouteTable.IdempotencyKeyHeader);
            return forward();
        }));

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options());

        Assert.Equal([CheckNames.RetriedCreate], report.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Name));
        string detail = report.Find(CheckNames.RetriedCreate)!.Detail;
        Assert.StartsWith("the retry answered another body than the first create (item ", detail);
        Assert.Contains("response: 201", detail);
        Assert.Equal(0, await stage.ItemsStoredAsync());
    }

    [Fact]
    public async Task A_stage_that_ignores_If_Match_fails_the_stale_check_and_is_still_cleaned_up()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync();
        // The proxy turns every conditional PUT into an unconditional one, as a gateway dropping the header would.
        using var http = new HttpClient(new InterceptingHandler((request, forward) =>
        {
            if (request.Method == HttpMethod.Put && request.Headers.Remove("If-Match")) request.Headers.TryAddWithoutValidation("If-Match", "*");
            return forward();
        }));

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options());

        Assert.False(report.Passed);
        Assert.Equal([CheckNames.StaleIfMatch], report.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Name));
        string detail = report.Find(CheckNames.StaleIfMatch)!.Detail;
        Assert.StartsWith("expected 412, got 200\n", detail);
        Assert.Matches($@"request:  PUT {stage.ItemsUrl}/\w{{26}}\n", detail);
        Assert.Contains("If-Match: \"1\"", detail);
        Assert.Contains("""body: {"name":"verify item, stale write""", detail);
        Assert.Contains("response: 200", detail);
        Assert.Contains("ETag: \"3\"", detail);
        Assert.Equal(0, await stage.ItemsStoredAsync());
        Assert.Equal(stage.RequestsServed, report.RequestsSent);
        AssertNoSecret(report, LocalStage.ApiKey);
    }

    [Fact]
    public async Task A_stage_that_drops_the_key_check_fails_both_403_checks()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync();
        // The proxy sends the right key whatever the caller sent: the stage no longer tells callers apart.
        using var http = new HttpClient(new InterceptingHandler((request, forward) =>
        {
            request.Headers.Remove("x-api-key");
            request.Headers.Add("x-api-key", LocalStage.ApiKey);
            return forward();
        }));

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options());

        Assert.Equal([CheckNames.NoApiKey, CheckNames.WrongApiKey], report.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Name));
        string noKey = report.Find(CheckNames.NoApiKey)!.Detail;
        // Every route answered without the key, each named with its request and response.
        Assert.StartsWith("POST /items: expected 403, got 201\n", noKey);
        Assert.All(RouteTable.All, route => Assert.Contains($"{route}: expected 403, got ", noKey));
        Assert.Contains("GET /items: expected 403, got 200\n", noKey);
        Assert.DoesNotContain("x-api-key", noKey); // the requests as verify sent them: without a key
        Assert.Contains("body: (a page of ", noKey); // ids only: a list page holds other people's items
        Assert.DoesNotContain("""{"items":[""", noKey);
        string wrongKey = report.Find(CheckNames.WrongApiKey)!.Detail;
        Assert.Contains("x-api-key: not-the-api-key-verify-", wrongKey); // a made-up key, not a secret
        Assert.Equal(0, await stage.ItemsStoredAsync());
        AssertNoSecret(report, LocalStage.ApiKey);
    }

    [Fact]
    public async Task A_stage_where_one_method_does_not_require_the_key_fails_the_key_check_naming_that_route()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync();
        // As a DELETE method declared without ApiKeyRequired would: the stage lets it through whatever key it carries.
        using var http = new HttpClient(new InterceptingHandler((request, forward) =>
        {
            if (request.Method == HttpMethod.Delete && !request.Headers.Contains("x-api-key")) request.Headers.Add("x-api-key", LocalStage.ApiKey);
            return forward();
        }));

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options());

        Assert.Equal([CheckNames.NoApiKey], report.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Name));
        string detail = report.Find(CheckNames.NoApiKey)!.Detail;
        Assert.StartsWith("DELETE /items/{id}: expected 403, got 404\n", detail);
        Assert.Contains($"request:  DELETE {stage.ItemsUrl}/00000000000000000000000000", detail); // an id no item has
        Assert.DoesNotContain("GET /items", detail);
        Assert.Equal(0, await stage.ItemsStoredAsync());
    }

    [Fact]
    public async Task A_cors_origin_the_stage_does_not_allow_fails_the_preflight()
    {
        // The stack says the app's origin is allowed, but the stage was deployed with another one.
        await using LocalStage stage = await LocalStage.StartDevAsync(new() { ["corsAllowedOrigins"] = """["https://old-app.example"]""" });
        using var http = new HttpClient();

        ContractReport report = await StageContract.RunAsync(stage.Target() with { CorsAllowedOrigins = ["https://app.example"] }, http, stage.Options());

        Assert.Equal([CheckNames.CorsPreflight], report.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Name));
        string detail = report.Find(CheckNames.CorsPreflight)!.Detail;
        Assert.StartsWith("Access-Control-Allow-Origin is missing, expected https://app.example\n", detail);
        Assert.Contains($"request:  OPTIONS {stage.ItemsUrl}\n", detail);
        Assert.Contains("Origin: https://app.example", detail);
        Assert.Contains("Access-Control-Request-Method: POST", detail);
        Assert.Contains("response: 204", detail);
        Assert.Contains("Vary: Origin", detail);
        Assert.Equal(0, await stage.ItemsStoredAsync());
    }

    [Fact]
    public async Task A_parser_message_in_a_400_is_not_our_words()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync();
        // A stage without the request validator, whose backend leaks its JSON parser's message.
        using var http = new HttpClient(new InterceptingHandler(async (request, forward) =>
        {
            HttpResponseMessage response = await forward();
            if (response.StatusCode != HttpStatusCode.BadRequest) return response;
            response.Content = new StringContent("""{"message":"'{' is invalid after a property name. LineNumber: 0 | BytePositionInLine: 24."}""",
                System.Text.Encoding.UTF8, "application/json");
            return response;
        }));

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options());

        Assert.Equal([CheckNames.InvalidJson, CheckNames.NotAnObject], report.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Name));
        Assert.StartsWith("POST /items: the message is \"'{' is invalid after a property name.", report.Find(CheckNames.InvalidJson)!.Detail);
        Assert.Contains("\n\nPUT /items/{id}: the message is \"", report.Find(CheckNames.InvalidJson)!.Detail);
        Assert.Contains("expected \"Invalid request body\"", report.Find(CheckNames.InvalidJson)!.Detail);
    }

    [Fact]
    public async Task A_stage_that_stores_bad_bodies_fails_the_400_checks_and_the_stored_items_are_cleaned_up()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync();
        // The validator is gone and the backend stores anything: turn bad bodies into a valid document on the way.
        using var http = new HttpClient(new InterceptingHandler(async (request, forward) =>
        {
            if (request.Method == HttpMethod.Post && await request.Content!.ReadAsStringAsync() is var body && !body.StartsWith("{\"name\":\"verify"))
                request.Content = new StringContent("""{"stored":"anyway"}""", System.Text.Encoding.UTF8, "application/json");
            return await forward();
        }));

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options());

        Assert.Equal([CheckNames.InvalidJson, CheckNames.NotAnObject], report.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Name));
        Assert.StartsWith("POST /items: expected 400, got 201", report.Find(CheckNames.InvalidJson)!.Detail);
        Assert.DoesNotContain("PUT /items/{id}", report.Find(CheckNames.InvalidJson)!.Detail); // the proxy left PUTs alone: the gateway refused them
        Assert.Equal("deleted 4 items", report.Find(CheckNames.Cleanup)!.Detail);
        Assert.Equal(0, await stage.ItemsStoredAsync());
    }

    [Fact]
    public async Task Cleanup_failures_are_reported_with_the_items_left_behind()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync();
        InterceptingHandler? proxy = null;
        // Deletes without If-Match (the cleanup's) fail, as with a backend that lost its delete permission.
        proxy = new InterceptingHandler((request, forward) =>
            request.Method == HttpMethod.Delete && !request.Headers.Contains("If-Match")
                ? Task.FromResult(proxy!.Answer(HttpStatusCode.InternalServerError, """{"message":"Internal server error"}"""))
                : forward());
        using var http = new HttpClient(proxy);

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options());

        Assert.False(report.Passed);
        CheckResult cleanup = report.Find(CheckNames.Cleanup)!;
        Assert.Equal(CheckStatus.Fail, cleanup.Status);
        Assert.StartsWith("2 items could not be deleted; delete them by hand\n", cleanup.Detail);
        foreach (var item in (await stage.Store.ListAsync(10, null)).Items)
        {
            Assert.Contains($"item {item.Id} was not deleted", cleanup.Detail);
            Assert.Contains($"request:  DELETE {stage.ItemsUrl}/{item.Id}", cleanup.Detail);
        }
        Assert.Contains("response: 500", cleanup.Detail);
        Assert.Equal(2, await stage.ItemsStoredAsync());
        Assert.Equal(stage.RequestsServed + proxy.AnsweredHere, report.RequestsSent);
        AssertNoSecret(report, LocalStage.ApiKey);
    }

    [Fact]
    public async Task An_unreachable_stage_fails_with_the_connection_error()
    {
        // A port that was free a moment ago: nothing listens there.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var clock = new FakeTimeProvider();
        using var http = new HttpClient();

        ContractReport report = await StageContract.RunAsync(
            new StageTarget { ItemsUrl = new Uri($"http://127.0.0.1:{port}/dev/items"), ApiKey = LocalStage.ApiKey }, http,
            new ContractOptions { Clock = clock, Delay = clock.AdvanceBy });

        CheckResult key = report.Checks[0];
        Assert.Equal((CheckNames.KeyAccepted, CheckStatus.Fail), (key.Name, key.Status));
        Assert.StartsWith("expected 200, got no response (", key.Detail);
        Assert.Contains("response: none (", key.Detail);
        Assert.Equal(1, report.RequestsSent);
    }

    /// <summary>Neither the report nor either rendering of it (lines, --json) contains the secret.</summary>
    internal static void AssertNoSecret(ContractReport report, string secret)
    {
        var lines = new StringWriter();
        foreach (CheckResult check in report.Checks) ReportWriter.WriteCheck(lines, check);
        ReportWriter.WriteSummary(lines, report);
        var json = new StringWriter();
        ReportWriter.WriteJson(json, report);
        Assert.DoesNotContain(secret, lines.ToString());
        Assert.DoesNotContain(secret, json.ToString());
        Assert.DoesNotContain(secret, StageContractTests.Describe(report));
    }
}
