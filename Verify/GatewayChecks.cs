using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.Verify;

/// <summary>
/// The gateway's side of the contract: the key is accepted; the stage answers for itself (<see cref="GatewayAnswer"/>),
/// before the function, a request on any route without the key or the bearer token, or with a body that is not a JSON
/// object where the route takes one; and its CORS preflight. The routes are the target's rows (the route table), so a
/// new route is checked on a deployed stage with no code here. Each check returns a short note when it passes and
/// throws <see cref="CheckFailure"/> when it does not.
/// </summary>
internal sealed class GatewayChecks(StageTarget target, ContractOptions options, StageRequests requests)
{
    /// <summary>An origin for the preflight when the stage allows any ("*"); the .example domain is reserved and never real.</summary>
    private const string AnyOrigin = "https://verify.example";

    /// <summary>The list route's page size parameter (see the list row in <see cref="RouteTable"/>).</summary>
    private const string LimitParameter = "limit";

    private const string InvalidJson = """{"name": "verify item", """;
    private const string NotAnObject = """["verify item"]""";

    /// <summary>The request the key check sends: the first page of one item.</summary>
    private string FirstItemUrl => $"{requests.ItemsUrl}?{LimitParameter}=1";

    /// <summary>A key created by <c>pulumi up</c> can answer 403 for a few seconds: retry on 403 for up to KeyWait.</summary>
    public async Task<string> WaitForKeyAsync(CancellationToken ct)
    {
        long started = options.Clock.GetTimestamp();
        TimeSpan backoff = TimeSpan.FromSeconds(1);
        int refused = 0;
        while (true)
        {
            Exchange exchange = await requests.SendAsync("GET", FirstItemUrl, requests.Headers(), ct: ct);
            TimeSpan waited = options.Clock.GetElapsedTime(started);
            if (exchange.Status == GatewayAnswer.InvalidApiKey.Status && waited + backoff <= options.KeyWait)
            {
                refused++;
                await options.Delay(backoff, ct);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
                continue;
            }
            if (exchange.Status == GatewayAnswer.InvalidApiKey.Status)
                throw new CheckFailure($"the API key was refused ({exchange.Status}) for {StageContract.Seconds(waited)} (--key-wait {StageContract.Seconds(options.KeyWait)}): " +
                    "check the key, and that the usage plan includes this stage", exchange);
            if (exchange.Status == GatewayAnswer.Unauthorized.Status) throw new CheckFailure($"the bearer token was refused ({exchange.Status}): check --token", exchange);
            Expect.Status(exchange, 200);
            return refused == 0 ? "200" : $"200 after {refused} × {GatewayAnswer.InvalidApiKey.Status} over {StageContract.Seconds(waited)} (a new key takes a few seconds)";
        }
    }

    /// <summary>Every route needs the key: without one, each is refused. A body the route takes is sent valid, so only the key is missing.</summary>
    public Task<string> NoApiKeyAsync(CancellationToken ct) => OnEveryRouteAsync(route => route.RequiresApiKey,
        route => (StageRequests.Headers(apiKey: null, target.BearerToken), ValidBody(route)), GatewayAnswer.InvalidApiKey, ct);

    /// <summary>The key is checked against the usage plan, not only for being there: the key check's request, with a made-up key.</summary>
    public async Task<string> WrongApiKeyAsync(CancellationToken ct)
    {
        Exchange exchange = await requests.SendAsync("GET", FirstItemUrl, StageRequests.Headers(requests.WrongKey(), target.BearerToken), ct: ct);
        return Refused(exchange, GatewayAnswer.InvalidApiKey);
    }

    /// <summary>apiKey+authorizer: every route's method has the authorizer, so without a token each is refused.</summary>
    public Task<string> NoBearerTokenAsync(CancellationToken ct) => OnEveryRouteAsync(_ => true,
        route => (StageRequests.Headers(target.ApiKey, token: null), ValidBody(route)), GatewayAnswer.Unauthorized, ct);

    /// <summary>The stage's validator refuses a body that is not JSON, in its own words, before the function, on every route that takes a body.</summary>
    public Task<string> InvalidJsonAsync(CancellationToken ct) => OnEveryRouteAsync(route => route.RequiresJsonObjectBody,
        _ => (requests.Headers(), InvalidJson), GatewayAnswer.InvalidRequestBody, ct);

    /// <summary>The same for JSON that is not an object.</summary>
    public Task<string> NotAnObjectAsync(CancellationToken ct) => OnEveryRouteAsync(route => route.RequiresJsonObjectBody,
        _ => (requests.Headers(), NotAnObject), GatewayAnswer.InvalidRequestBody, ct);

    /// <summary>A browser's preflight for a POST from the origin: the stage answers it without a key and allows the origin.</summary>
    public async Task<string> CorsPreflightAsync(CancellationToken ct)
    {
        string origin = PreflightOrigin()!;
        List<KeyValuePair<string, string>> headers =
        [
            KeyValuePair.Create("Origin", origin),
            KeyValuePair.Create("Access-Control-Request-Method", "POST"),
            KeyValuePair.Create("Access-Control-Request-Headers", "content-type,x-api-key"),
        ];
        Exchange exchange = await requests.SendAsync("OPTIONS", requests.ItemsUrl, headers, ct: ct);
        Expect.Status(exchange, 204);

        IReadOnlyList<string>? origins = target.CorsAllowedOrigins;
        string? allowed = exchange.Header("Access-Control-Allow-Origin");
        if (origins is not null && !origins.Contains("*") && !origins.Contains(origin))
        {
            // --origin named an origin the stage does not allow: the preflight must not allow it either.
            if (allowed is not null) throw new CheckFailure($"Access-Control-Allow-Origin is {allowed} for {origin}, which is not an allowed origin", exchange);
            return $"204, {origin} not allowed, as configured";
        }
        string[] expected = origins is null ? [origin, "*"] : origins.Contains("*") ? ["*"] : [origin];
        if (allowed is null || !expected.Contains(allowed))
            throw new CheckFailure($"Access-Control-Allow-Origin is {allowed ?? "missing"}, expected {string.Join(" or ", expected)}", exchange);
        string methods = exchange.Header("Access-Control-Allow-Methods") ?? "";
        if (!methods.Split(',').Select(m => m.Trim()).Contains("POST"))
            throw new CheckFailure($"Access-Control-Allow-Methods is '{methods}', expected it to include POST", exchange);
        string allowedHeaders = exchange.Header("Access-Control-Allow-Headers") ?? "";
        if (!allowedHeaders.Split(',').Select(h => h.Trim()).Contains("X-Api-Key", StringComparer.OrdinalIgnoreCase))
            throw new CheckFailure($"Access-Control-Allow-Headers is '{allowedHeaders}', expected it to include X-Api-Key", exchange);
        return $"204, Access-Control-Allow-Origin {allowed} for {origin}";
    }

    /// <summary>The --origin given, else the first configured origin; "*" allows any, so a made-up one is sent.</summary>
    public string? PreflightOrigin()
    {
        if (target.Origin is not null) return target.Origin;
        IReadOnlyList<string> origins = target.CorsAllowedOrigins ?? [];
        return origins.FirstOrDefault(o => o != "*") ?? (origins.Contains("*") ? AnyOrigin : null);
    }

    public string NoCorsReason() => target.CorsAllowedOrigins is null
        ? $"the stack does not say which CORS origins it allows (no {StackOutputNames.CorsAllowedOrigins} output); pass --origin to check one"
        : "no CORS origins configured";

    /// <summary>
    /// Sends one request to each route that <paramref name="applies"/> and expects the stage's <paramref name="answer"/>
    /// from every one; a failure names each route that answered otherwise, with its request and response.
    /// </summary>
    private async Task<string> OnEveryRouteAsync(Func<Route, bool> applies,
        Func<Route, (List<KeyValuePair<string, string>> Headers, string? Body)> request, GatewayAnswer answer, CancellationToken ct)
    {
        Route[] routes = target.Routes.Where(applies).ToArray();
        if (routes.Length == 0) return "no route this applies to";
        var failures = new List<string>();
        foreach (Route route in routes)
        {
            (List<KeyValuePair<string, string>> headers, string? body) = request(route);
            Exchange exchange = await requests.SendAsync(route.Method, requests.RouteUrl(route), headers, body, ct);
            try { Refused(exchange, answer); }
            catch (CheckFailure failure) { failures.Add($"{route}: {failure.Detail}"); }
        }
        if (failures.Count > 0) throw new CheckFailure(string.Join("\n\n", failures));
        return $"{answer.Status} {answer.Message} from {string.Join(", ", routes.Select(r => r.ToString()))}";
    }

    /// <summary>The stage answered <paramref name="answer"/> itself: its status and its message, word for word.</summary>
    private static string Refused(Exchange exchange, GatewayAnswer answer)
    {
        Expect.Status(exchange, answer.Status);
        Expect.Message(exchange, answer.Message);
        return $"{answer.Status} {answer.Message}";
    }

    private string? ValidBody(Route route) => route.RequestBody == BodyShape.None ? null : requests.Document(0, "verify item, refused at the gateway");
}
