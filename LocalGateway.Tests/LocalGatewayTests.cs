using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ItemsApi.Core.Auth;
using ItemsApi.DeployTime.OpenApi;
using ItemsApi.DeployTime.Operations;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Settings;
using ItemsApi.DeployTime.Gateway;

namespace ItemsApi.LocalGateway.Tests;

/// <summary>The local stage over real HTTP on loopback, with dynalite behind it.</summary>
public sealed class LocalGatewayTests
{
    [Fact]
    public async Task A_full_crud_round_trip_with_etags()
    {
        await using LocalStage api = await LocalStage.StartAsync();

        HttpResponseMessage created = await api.SendAsync(HttpMethod.Post, api.ItemsUrl, """{"name":"lamp"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        string id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal($"/test/items/{id}", created.Headers.Location!.ToString());
        Assert.Equal("\"1\"", created.Headers.ETag!.ToString());

        string itemUrl = $"{api.ItemsUrl}/{id}";
        HttpResponseMessage read = await api.SendAsync(HttpMethod.Get, itemUrl);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"1\"", read.Headers.ETag!.ToString());

        Assert.Equal((HttpStatusCode)428, (await api.SendAsync(HttpMethod.Put, itemUrl, """{"name":"desk"}""")).StatusCode);
        HttpResponseMessage replaced = await api.SendAsync(HttpMethod.Put, itemUrl, """{"name":"desk"}""", headers: [("If-Match", "\"1\"")]);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("\"2\"", replaced.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await api.SendAsync(HttpMethod.Put, itemUrl, "{}", headers: [("If-Match", "\"1\"")])).StatusCode);

        JsonElement page = await (await api.SendAsync(HttpMethod.Get, api.ItemsUrl + "?limit=10")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("desk", Assert.Single(page.GetProperty("items").EnumerateArray().ToArray()).GetProperty("data").GetProperty("name").GetString());

        Assert.Equal(HttpStatusCode.PreconditionFailed, (await api.SendAsync(HttpMethod.Delete, itemUrl, headers: [("If-Match", "\"1\"")])).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, itemUrl, headers: [("If-Match", "\"2\"")])).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, itemUrl)).StatusCode);
    }

    [Fact]
    public async Task A_create_retried_with_its_idempotency_key_answers_the_same_item_for_the_stages_window()
    {
        await using LocalStage api = await LocalStage.StartAsync(new() { ["idempotencyWindowHours"] = "1" });
        (string, string)[] key = [("Idempotency-Key", "\"local-run-key-1\"")];

        HttpResponseMessage first = await api.SendAsync(HttpMethod.Post, api.ItemsUrl, """{"a":1}""", headers: key);
        HttpResponseMessage retry = await api.SendAsync(HttpMethod.Post, api.ItemsUrl, """{"a":1}""", headers: key);
        HttpResponseMessage other = await api.SendAsync(HttpMethod.Post, api.ItemsUrl, """{"a":2}""", headers: key);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.UnprocessableEntity), (first.StatusCode, retry.StatusCode, other.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);

        // The stage's window is an hour: after it, the key creates a new item.
        api.Clock.Advance(TimeSpan.FromHours(1));
        HttpResponseMessage later = await api.SendAsync(HttpMethod.Post, api.ItemsUrl, """{"a":1}""", headers: key);
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        Assert.NotEqual(first.Headers.Location, later.Headers.Location);

        JsonElement page = await (await api.SendAsync(HttpMethod.Get, api.ItemsUrl)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, page.GetProperty("items").GetArrayLength()); // and no key records
    }

    [Fact]
    public async Task A_store_that_never_answers_ends_in_the_functions_503_within_the_stages_lambda_timeout()
    {
        var errors = new StringWriter();
        await using LocalApiGateway gateway = await LocalApiGateway.StartAsync(new LocalGatewayOptions
        {
            Stage = StageSettings.Load(key => key == "lambdaTimeoutSeconds" ? "1" : null, "test"),
            ApiKey = LocalStage.ApiKey,
            Port = 0,
            Store = new SilentStore(),
            AccessLog = TextWriter.Null,
            ErrorLog = TextWriter.Synchronized(errors),
        });
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, gateway.ItemsUrl);
        request.Headers.Add("x-api-key", LocalStage.ApiKey);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        HttpResponseMessage response = await http.SendAsync(request).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"answered after {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("Retry-After").Single());
        Assert.StartsWith("listItems ran out of time after ", errors.ToString());
    }

    /// <summary>Every call waits until it is cancelled.</summary>
    private sealed class SilentStore : Core.Items.IItemStore
    {
        private static async Task<T> Wait<T>(CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new System.Diagnostics.UnreachableException();
        }
        public Task<Core.Items.StoredItem> CreateAsync(string documentJson, CancellationToken cancellationToken = default) => Wait<Core.Items.StoredItem>(cancellationToken);
        public Task<Core.Items.StoredItem?> GetAsync(string id, CancellationToken cancellationToken = default) => Wait<Core.Items.StoredItem?>(cancellationToken);
        public Task<Core.Items.ItemPage> ListAsync(int limit, string? startAfterId, CancellationToken cancellationToken = default) => Wait<Core.Items.ItemPage>(cancellationToken);
        public Task<Core.Items.WriteResult> ReplaceAsync(string id, long? expectedVersion, string documentJson, CancellationToken cancellationToken = default) => Wait<Core.Items.WriteResult>(cancellationToken);
        public Task<Core.Items.WriteResult> DeleteAsync(string id, long? expectedVersion, CancellationToken cancellationToken = default) => Wait<Core.Items.WriteResult>(cancellationToken);
        public Task<Core.Items.KeyClaim> ClaimAsync(Core.Items.IdempotencyKey key, string documentJson, CancellationToken cancellationToken = default) => Wait<Core.Items.KeyClaim>(cancellationToken);
        public Task<Core.Items.StoredItem> CompleteAsync(Core.Items.KeyClaim claim, CancellationToken cancellationToken = default) => Wait<Core.Items.StoredItem>(cancellationToken);
    }

    [Fact]
    public async Task The_api_key_is_enforced_like_api_gateway_does()
    {
        await using LocalStage api = await LocalStage.StartAsync();

        HttpResponseMessage missing = await api.SendAsync(HttpMethod.Get, api.ItemsUrl, apiKey: null);
        Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
        Assert.Equal("Forbidden", await LocalStage.MessageAsync(missing));
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Get, api.ItemsUrl, apiKey: "wrong-key-0123456789abc")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Get, api.ItemsUrl, apiKey: LocalStage.ApiKey + "x")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, api.ItemsUrl)).StatusCode);
    }

    [Theory]
    [InlineData("TRACE", "/test/items")] // a method no route can have (RouteSet.Methods)
    [InlineData("GET", "/test/nothing")]
    [InlineData("GET", "/items")]
    [InlineData("GET", "/prod/items")]
    public async Task Paths_and_methods_the_stage_does_not_have_get_api_gateways_403(string method, string path)
    {
        await using LocalStage api = await LocalStage.StartAsync();
        HttpResponseMessage response = await api.SendAsync(new HttpMethod(method), api.Gateway.BaseUrl.ToString().TrimEnd('/') + path);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Missing Authentication Token", await LocalStage.MessageAsync(response));
    }

    [Fact]
    public async Task A_burst_above_the_usage_plan_throttle_gets_counted_429s()
    {
        await using LocalStage api = await LocalStage.StartAsync(new() { ["usagePlanRateLimit"] = "1", ["usagePlanBurstLimit"] = "5" });

        HttpResponseMessage[] burst = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => api.SendAsync(HttpMethod.Get, api.ItemsUrl)));

        Assert.Equal(5, burst.Count(r => r.StatusCode == HttpStatusCode.OK));
        HttpResponseMessage[] throttled = burst.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToArray();
        Assert.Equal(15, throttled.Length);
        Assert.Equal("Too Many Requests", await LocalStage.MessageAsync(throttled[0]));

        api.Clock.Advance(TimeSpan.FromSeconds(2)); // refills two tokens at 1/s
        HttpResponseMessage[] later = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => api.SendAsync(HttpMethod.Get, api.ItemsUrl)));
        Assert.Equal(2, later.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(15 + 2, api.AccessLog().Count(l => l.GetProperty("errorResponseType").GetString() == "THROTTLED"));
    }

    [Fact]
    public async Task The_throttled_request_metric_filter_counts_exactly_the_429_lines()
    {
        await using LocalStage api = await LocalStage.StartAsync(new() { ["usagePlanRateLimit"] = "1", ["usagePlanBurstLimit"] = "2" });
        HttpResponseMessage[] burst = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => api.SendAsync(HttpMethod.Get, api.ItemsUrl)));
        await api.SendAsync(HttpMethod.Get, api.ItemsUrl, apiKey: null);

        // CloudWatch's JSON filter pattern { $.field = "value" }: a string field equal to the value.
        Match pattern = Regex.Match(AccessLogMetric.Throttled("test").FilterPattern, """^\{ \$\.(\w+) = "([^"]*)" \}$""");
        Assert.True(pattern.Success);
        int matching = api.AccessLog().Count(line =>
            line.TryGetProperty(pattern.Groups[1].Value, out JsonElement value) && value.ValueKind == JsonValueKind.String && value.GetString() == pattern.Groups[2].Value);
        Assert.Equal(burst.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests), matching);
        Assert.Equal(4, matching);
    }

    [Fact]
    public async Task The_stage_throttle_gives_each_method_its_own_bucket()
    {
        // API Gateway applies the stage's "*/*" method settings to each method separately.
        await using LocalStage api = await LocalStage.StartAsync(new() { ["stageThrottleRateLimit"] = "1", ["stageThrottleBurstLimit"] = "3" });
        HttpResponseMessage[] lists = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => api.SendAsync(HttpMethod.Get, api.ItemsUrl)));
        Assert.Equal(3, lists.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));

        // GET /items is spent; GET /items/{id} still has its whole burst.
        HttpResponseMessage[] reads = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => api.SendAsync(HttpMethod.Get, api.ItemsUrl + "/01ARZ3NDEKTSV4RRFFQ69G5FAV")));
        Assert.All(reads, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await api.SendAsync(HttpMethod.Get, api.ItemsUrl + "/01ARZ3NDEKTSV4RRFFQ69G5FAV")).StatusCode);
    }

    [Fact]
    public async Task The_quota_runs_out_and_resets_with_the_next_period()
    {
        await using LocalStage api = await LocalStage.StartAsync(new() { ["quotaLimit"] = "3", ["quotaPeriod"] = "DAY" });

        for (int i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, api.ItemsUrl)).StatusCode);
        HttpResponseMessage exhausted = await api.SendAsync(HttpMethod.Get, api.ItemsUrl);
        Assert.Equal(HttpStatusCode.TooManyRequests, exhausted.StatusCode);
        Assert.Equal("Limit Exceeded", await LocalStage.MessageAsync(exhausted));

        api.Clock.Advance(TimeSpan.FromHours(1)); // past midnight UTC
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, api.ItemsUrl)).StatusCode);
    }

    [Theory]
    [InlineData("DAY", "2026-11-18T23:00:00Z", "2026-11-18T00:00:00Z")]
    [InlineData("WEEK", "2026-11-18T23:00:00Z", "2026-11-15T00:00:00Z")] // Wednesday → Sunday
    [InlineData("WEEK", "2026-11-15T00:00:00Z", "2026-11-15T00:00:00Z")]
    [InlineData("MONTH", "2026-11-18T23:00:00Z", "2026-11-01T00:00:00Z")]
    public void Quota_periods_start_where_api_gateways_do(string period, string now, string start) =>
        Assert.Equal(DateTime.Parse(start).ToUniversalTime(), Quota.PeriodStart(DateTime.Parse(now).ToUniversalTime(), ParsePeriod(period)));

    private static QuotaPeriod ParsePeriod(string word) =>
        ConfigKeys.QuotaPeriod.TryParse(word, out QuotaPeriod period) ? period : throw new ArgumentException(word);

    [Fact]
    public async Task In_authorizer_mode_the_bearer_token_is_checked_like_the_authorizer_function()
    {
        const string configuredToken = "configured-token";
        await using LocalStage api = await LocalStage.StartAsync(
            new() { ["authMode"] = "apiKey+authorizer", ["authorizerTokenHashes"] = BearerTokenAuthorizer.HashToken(configuredToken) },
            bearerToken: "local-token");

        HttpResponseMessage none = await api.SendAsync(HttpMethod.Get, api.ItemsUrl);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Unauthorized", await LocalStage.MessageAsync(none));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(HttpMethod.Get, api.ItemsUrl, headers: [("Authorization", "Bearer nope")])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, api.ItemsUrl, headers: [("Authorization", "Bearer local-token")])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, api.ItemsUrl, headers: [("Authorization", "Bearer " + configuredToken)])).StatusCode);
        // A valid token does not replace the API key.
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Get, api.ItemsUrl, apiKey: null, headers: [("Authorization", "Bearer local-token")])).StatusCode);
        Assert.Equal("Unauthorized", api.AccessLog()[0].GetProperty("authorizerError").GetString());
    }

    [Theory]
    [InlineData("POST", "[1,2]")]
    [InlineData("POST", "not json")]
    [InlineData("POST", "")]
    [InlineData("PUT", "\"text\"")]
    public async Task Bodies_that_are_not_json_objects_are_refused_before_the_function(string method, string body)
    {
        await using LocalStage api = await LocalStage.StartAsync();
        string url = method == "POST" ? api.ItemsUrl : api.ItemsUrl + "/01ARZ3NDEKTSV4RRFFQ69G5FAV";
        HttpResponseMessage response = await api.SendAsync(new HttpMethod(method), url, body, headers: [("If-Match", "\"1\"")]);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Invalid request body", await LocalStage.MessageAsync(response));
        Assert.Equal("BAD_REQUEST_BODY", api.AccessLog().Single().GetProperty("errorResponseType").GetString());
    }

    [Fact]
    public async Task Cors_preflight_and_error_responses_carry_the_configured_origin()
    {
        await using LocalStage api = await LocalStage.StartAsync(new() { ["corsAllowedOrigins"] = """["https://app.example.com"]""" });
        (string, string) origin = ("Origin", "https://app.example.com");

        HttpResponseMessage preflight = await api.SendAsync(HttpMethod.Options, api.ItemsUrl + "/01ARZ3NDEKTSV4RRFFQ69G5FAV", apiKey: null,
            headers: [origin, ("Access-Control-Request-Method", "PUT")]);
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal("https://app.example.com", preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(string.Join(",", RouteTable.MethodsFor(RouteTable.ItemPath).Append("OPTIONS")), preflight.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Contains("PUT", RouteTable.MethodsFor(RouteTable.ItemPath));
        Assert.Contains("If-Match", preflight.Headers.GetValues("Access-Control-Allow-Headers").Single());

        HttpResponseMessage forbidden = await api.SendAsync(HttpMethod.Get, api.ItemsUrl, apiKey: null, headers: [origin]);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("https://app.example.com", forbidden.Headers.GetValues("Access-Control-Allow-Origin").Single());

        HttpResponseMessage ok = await api.SendAsync(HttpMethod.Get, api.ItemsUrl, headers: [origin]);
        Assert.Equal("https://app.example.com", ok.Headers.GetValues("Access-Control-Allow-Origin").Single());

        HttpResponseMessage otherOrigin = await api.SendAsync(HttpMethod.Get, api.ItemsUrl, headers: [("Origin", "https://evil.example")]);
        Assert.False(otherOrigin.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task With_several_origins_gateway_errors_carry_no_allow_origin_while_the_functions_answers_do()
    {
        // Deployed, a gateway response header is a fixed value: it cannot pick one of several origins.
        await using LocalStage api = await LocalStage.StartAsync(new() { ["corsAllowedOrigins"] = """["https://a.example.com","https://b.example.com"]""" });
        (string, string) origin = ("Origin", "https://b.example.com");

        HttpResponseMessage forbidden = await api.SendAsync(HttpMethod.Get, api.ItemsUrl, apiKey: null, headers: [origin]);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.False(forbidden.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal("Origin", forbidden.Headers.GetValues("Vary").Single());

        HttpResponseMessage ok = await api.SendAsync(HttpMethod.Get, api.ItemsUrl, headers: [origin]);
        Assert.Equal("https://b.example.com", ok.Headers.GetValues("Access-Control-Allow-Origin").Single());
        HttpResponseMessage preflight = await api.SendAsync(HttpMethod.Options, api.ItemsUrl, apiKey: null, headers: [origin]);
        Assert.Equal("https://b.example.com", preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task In_iam_mode_the_preflight_allows_the_sigv4_headers()
    {
        await using LocalStage api = await LocalStage.StartAsync(new() { ["authMode"] = "iam", ["corsAllowedOrigins"] = """["*"]""" });
        HttpResponseMessage preflight = await api.SendAsync(HttpMethod.Options, api.ItemsUrl, apiKey: null, headers: [("Origin", "https://any.example")]);
        string allowed = preflight.Headers.GetValues("Access-Control-Allow-Headers").Single();
        Assert.Contains("X-Amz-Date", allowed);
        Assert.Contains("X-Amz-Security-Token", allowed);
        Assert.Equal("*", (await api.SendAsync(HttpMethod.Get, api.ItemsUrl, apiKey: null)).Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Each_request_writes_one_access_log_line_in_the_stage_format()
    {
        await using LocalStage api = await LocalStage.StartAsync();
        HttpResponseMessage created = await api.SendAsync(HttpMethod.Post, api.ItemsUrl, """{"a":1}""");
        HttpResponseMessage forbidden = await api.SendAsync(HttpMethod.Get, api.ItemsUrl, apiKey: null);

        IReadOnlyList<JsonElement> lines = api.AccessLog();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, line => Assert.Equal(AccessLogFormat.Fields.Select(f => f.Field), line.EnumerateObject().Select(p => p.Name)));

        JsonElement first = lines[0];
        Assert.Equal(created.Headers.GetValues("x-amzn-RequestId").Single(), first.GetProperty("requestId").GetString());
        Assert.Equal("POST", first.GetProperty("httpMethod").GetString());
        Assert.Equal("/items", first.GetProperty("resourcePath").GetString());
        Assert.Equal("201", first.GetProperty("status").GetString());
        Assert.Equal("127.0.0.1", first.GetProperty("ip").GetString());
        Assert.Equal("HTTP/1.1", first.GetProperty("protocol").GetString());
        Assert.Equal((await created.Content.ReadAsByteArrayAsync()).Length.ToString(), first.GetProperty("responseLength").GetString());
        Assert.Equal("local-api-key", first.GetProperty("apiKeyId").GetString());
        Assert.Equal("18/Nov/2026:23:00:00 +0000", first.GetProperty("requestTime").GetString());
        // The fields that diagnose a slow or failing request: the function's own status and both latencies.
        Assert.Equal("201", first.GetProperty("integrationStatus").GetString());
        long responseLatency = long.Parse(first.GetProperty("responseLatency").GetString()!);
        long integrationLatency = long.Parse(first.GetProperty("integrationLatency").GetString()!);
        Assert.InRange(integrationLatency, 0, responseLatency);
        Assert.NotEqual("-", first.GetProperty("extendedRequestId").GetString());
        Assert.NotEqual(first.GetProperty("extendedRequestId").GetString(), lines[1].GetProperty("extendedRequestId").GetString());
        Assert.Equal("-", first.GetProperty("xrayTraceId").GetString());

        JsonElement second = lines[1];
        Assert.Equal(forbidden.Headers.GetValues("x-amzn-RequestId").Single(), second.GetProperty("requestId").GetString());
        Assert.Equal("403", second.GetProperty("status").GetString());
        Assert.Equal("Forbidden", second.GetProperty("errorMessage").GetString());
        Assert.Equal("INVALID_API_KEY", second.GetProperty("errorResponseType").GetString());
        // Refused by the gateway: the function was never called.
        Assert.Equal("-", second.GetProperty("integrationStatus").GetString());
        Assert.Equal("-", second.GetProperty("integrationLatency").GetString());
        Assert.Equal("-", second.GetProperty("apiKeyId").GetString());
    }

    [Fact]
    public async Task The_openapi_document_is_served_and_lists_exactly_the_route_table()
    {
        await using LocalStage api = await LocalStage.StartAsync();
        HttpResponseMessage response = await api.SendAsync(HttpMethod.Get, api.Gateway.BaseUrl + "openapi.json", apiKey: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement document = await response.Content.ReadFromJsonAsync<JsonElement>();

        var served = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {path.Name}")).Order();
        Assert.Equal(RouteTable.All.Select(r => $"{r.Method} {r.PathTemplate}").Order(), served);
        Assert.Equal("x-api-key", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("apiKey").GetProperty("name").GetString());
        Assert.Equal(api.ItemsUrl[..^"/items".Length], document.GetProperty("servers")[0].GetProperty("url").GetString());
        Assert.Equal(JsonDocument.Parse(OpenApiDocument.ToJson(ItemsApi.DeployTime.Gateway.GatewayPolicy.For(StageSettings.Load(_ => null, "test")))).RootElement.GetProperty("paths").GetRawText(), document.GetProperty("paths").GetRawText());
    }

    [Fact]
    public async Task Data_survives_a_restart_when_a_data_directory_is_given()
    {
        string dataDirectory = Directory.CreateTempSubdirectory("items-api-data-").FullName;
        try
        {
            string id;
            await using (LocalStage first = await LocalStage.StartAsync(dataDirectory: dataDirectory))
            {
                HttpResponseMessage created = await first.SendAsync(HttpMethod.Post, first.ItemsUrl, """{"kept":true}""");
                id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            }
            await using LocalStage second = await LocalStage.StartAsync(dataDirectory: dataDirectory);
            Assert.Equal(HttpStatusCode.OK, (await second.SendAsync(HttpMethod.Get, $"{second.ItemsUrl}/{id}")).StatusCode);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
