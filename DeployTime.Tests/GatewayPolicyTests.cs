using System.Text.RegularExpressions;
using ItemsApi.Core.Auth;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.Core.Http;
using ItemsApi.DeployTime.OpenApi;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Tests;

/// <summary>
/// What the stage does before the function runs, from its settings: auth, the key, throttles, quota and CORS. The stack
/// declares these values and the local gateway enforces them (Infra.Tests and LocalGateway.Tests check those uses).
/// </summary>
public sealed class GatewayPolicyTests
{
    private static StageSettings Settings(params (string Key, string Value)[] values) =>
        StageSettings.Load(key => values.FirstOrDefault(v => v.Key == key).Value, "dev");

    private static readonly (string, string) AuthorizerMode = ("authMode", "apiKey+authorizer");
    private static (string, string) OneTokenHash => ("authorizerTokenHashes", BearerTokenAuthorizer.HashToken("a-token"));

    private static Route Row(string method, string template) => RouteTable.Find(method, template)!;

    [Theory]
    [InlineData("apiKey", AuthMode.ApiKey, "NONE")]
    [InlineData("apiKey+authorizer", AuthMode.ApiKeyAndAuthorizer, "CUSTOM")]
    [InlineData("iam", AuthMode.Iam, "AWS_IAM")]
    public void Each_auth_mode_sets_the_methods_authorization_and_every_mode_needs_the_key_header(string mode, AuthMode authMode, string authorization)
    {
        GatewayPolicy policy = GatewayPolicy.For(Settings(("authMode", mode), OneTokenHash));
        Assert.Equal(authorization, policy.MethodAuthorization);
        Assert.Equal(authMode, policy.AuthMode);
        Assert.Equal("x-api-key", policy.ApiKeyHeader);
        Assert.Equal("HEADER", policy.ApiKeySource);
        Assert.Equal("REGIONAL", policy.EndpointType);
        Assert.Equal(OpenApiDocument.DocumentSchemaJson, policy.RequestModelSchema);
        Assert.Equal(mode == "apiKey+authorizer", policy.Authorizer is not null);
    }

    [Fact]
    public void The_authorizer_is_a_token_authorizer_on_the_authorization_header_with_the_configured_cache()
    {
        AuthorizerPolicy authorizer = GatewayPolicy.For(Settings(AuthorizerMode, OneTokenHash, ("authorizerCacheTtlSeconds", "60"))).Authorizer!;
        Assert.Equal(new AuthorizerPolicy("bearer-token", "TOKEN", "Authorization", "^Bearer [-0-9A-Za-z._~+/]+=*$", 60), authorizer);
        Assert.Equal("method.request.header.Authorization", authorizer.IdentitySource);
        Assert.Equal(300, GatewayPolicy.For(Settings(AuthorizerMode, OneTokenHash)).Authorizer!.ResultTtlInSeconds);
    }

    [Theory]
    [InlineData("Bearer abc", true)]
    [InlineData("Bearer Ab0-._~+/xyz==", true)] // base64 and base64url tokens, padding included
    [InlineData("bearer abc", false)]
    [InlineData("Bearer ", false)]
    [InlineData("Bearer a b", false)]
    [InlineData("Bearer a=b", false)]          // padding only at the end
    [InlineData("Basic dXNlcjpwYXNz", false)]
    [InlineData("xBearer abc", false)]
    public void A_header_not_shaped_like_a_bearer_token_is_refused_before_the_authorizer_runs(string header, bool reachesAuthorizer) =>
        Assert.Equal(reachesAuthorizer, Regex.IsMatch(header, GatewayPolicy.BearerTokenPattern));

    [Fact]
    public void Throttles_and_quota_come_from_the_stage_settings()
    {
        GatewayPolicy policy = GatewayPolicy.For(Settings(("usagePlanRateLimit", "2.5"), ("usagePlanBurstLimit", "7"),
            ("stageThrottleRateLimit", "40"), ("stageThrottleBurstLimit", "80"), ("quotaLimit", "1234"), ("quotaPeriod", "WEEK")));
        Assert.Equal(new ThrottleLimits(2.5, 7), policy.UsagePlanThrottle);
        Assert.Equal(new ThrottleLimits(40, 80), policy.MethodThrottle);
        Assert.Equal(new QuotaLimits(1234, QuotaPeriod.Week), policy.Quota);
    }

    [Fact]
    public void Checks_run_in_api_gateways_order_authorizer_before_key_and_validation_last() =>
        Assert.Equal(
            [GatewayCheck.PayloadSize, GatewayCheck.RouteExists, GatewayCheck.Authorizer, GatewayCheck.ApiKey, GatewayCheck.MethodThrottle,
             GatewayCheck.UsagePlanThrottle, GatewayCheck.Quota, GatewayCheck.BodyValidation],
            GatewayPolicy.For(Settings()).Checks);

    [Theory]
    [InlineData("apiKey", "POST", RouteTable.ItemsPath, new[] { 400, 403, 413, 429, 500 })]
    [InlineData("apiKey", "GET", RouteTable.ItemsPath, new[] { 403, 429, 500 })]
    [InlineData("apiKey", "PUT", RouteTable.ItemPath, new[] { 400, 403, 413, 429, 500 })]
    [InlineData("apiKey", "DELETE", RouteTable.ItemPath, new[] { 403, 429, 500 })]
    [InlineData("apiKey+authorizer", "GET", RouteTable.ItemPath, new[] { 401, 403, 429, 500 })]
    [InlineData("apiKey+authorizer", "POST", RouteTable.ItemsPath, new[] { 400, 401, 403, 413, 429, 500 })]
    [InlineData("iam", "GET", RouteTable.ItemPath, new[] { 403, 429, 500 })]
    public void The_gateway_answers_401_only_with_an_authorizer_and_400_and_413_only_where_a_route_takes_a_body(string mode, string method, string template, int[] statuses) =>
        Assert.Equal(statuses, GatewayPolicy.For(Settings(("authMode", mode), OneTokenHash)).GatewayStatuses(Row(method, template)).Order());

    [Fact]
    public void Every_check_has_its_own_answer_and_the_answers_are_api_gateways()
    {
        Assert.Equal(Enum.GetValues<GatewayCheck>(), GatewayPolicy.For(Settings()).Checks.Order());
        Assert.Equal(
        [
            (GatewayCheck.PayloadSize, 413, "Request Too Long", "REQUEST_TOO_LARGE"),
            (GatewayCheck.RouteExists, 403, "Missing Authentication Token", "MISSING_AUTHENTICATION_TOKEN"),
            (GatewayCheck.Authorizer, 401, "Unauthorized", "UNAUTHORIZED"),
            (GatewayCheck.ApiKey, 403, "Forbidden", "INVALID_API_KEY"),
            (GatewayCheck.MethodThrottle, 429, "Too Many Requests", "THROTTLED"),
            (GatewayCheck.UsagePlanThrottle, 429, "Too Many Requests", "THROTTLED"),
            (GatewayCheck.Quota, 429, "Limit Exceeded", "QUOTA_EXCEEDED"),
            (GatewayCheck.BodyValidation, 400, "Invalid request body", "BAD_REQUEST_BODY"),
        ], Enum.GetValues<GatewayCheck>().Select(c => (c, GatewayAnswer.For(c).Status, GatewayAnswer.For(c).Message, GatewayAnswer.For(c).ResponseType)));
        Assert.Equal("""{"message":"Missing Authentication Token"}""", GatewayAnswer.MissingAuthenticationToken.Body);
        Assert.Equal(GatewayAnswer.All.Count, GatewayAnswer.All.Distinct().Count());
        // Every answer but the stage's own failure belongs to a check.
        Assert.Equal(GatewayAnswer.All.Except([GatewayAnswer.InternalServerError]).Select(a => a.ResponseType).Order(),
            Enum.GetValues<GatewayCheck>().Select(GatewayAnswer.For).Distinct().Select(a => a.ResponseType).Order());
    }

    [Fact]
    public void The_stacks_gateway_responses_catch_every_answer_the_stage_gives_itself()
    {
        // DEFAULT_4XX and DEFAULT_5XX stand for every other response type of their class; their template renders the message.
        ApiDefinition.ErrorResponses responses = ApiDefinition.For(Settings(), GatewayPolicy.For(Settings()), RouteTable.All).GatewayResponses;
        Assert.All(GatewayAnswer.All, answer => Assert.Contains(answer.Status < 500 ? GatewayAnswer.Default4xx : GatewayAnswer.Default5xx, responses.Types));
        Assert.Equal("{\"message\":$context.error.messageString}", responses.Template);
    }
}

/// <summary>
/// The CORS policy a stage's settings give: which request headers a browser may send in each auth mode. The headers
/// on the answers themselves are Core's (Core.Tests/CorsPolicyTests).
/// </summary>
public sealed class StageCorsTests
{
    private const string App = "https://app.example.com";

    private static StageSettings Settings(params (string Key, string Value)[] values) =>
        StageSettings.Load(key => values.FirstOrDefault(v => v.Key == key).Value, "dev");

    [Fact]
    public void In_iam_mode_a_browser_may_also_send_the_sigv4_headers()
    {
        CorsPolicy iam = GatewayPolicy.For(Settings(("authMode", "iam"), ("corsAllowedOrigins", App))).Cors;
        Assert.Equal("Content-Type,X-Api-Key,Authorization,If-Match,Idempotency-Key,X-Amz-Date,X-Amz-Security-Token", iam.AllowedHeaders);
        Assert.Equal("Content-Type,X-Api-Key,Authorization,If-Match,Idempotency-Key,X-Amz-Date,X-Amz-Security-Token",
            iam.Preflight(App, ["GET"]).Headers["Access-Control-Allow-Headers"]);
        Assert.Equal([App], iam.AllowedOrigins);

        Assert.Equal("Content-Type,X-Api-Key,Authorization,If-Match,Idempotency-Key", GatewayPolicy.For(Settings(("corsAllowedOrigins", App))).Cors.AllowedHeaders);
        Assert.Equal(CorsPolicy.BaseAllowedHeaders, GatewayPolicy.For(Settings(("authMode", "apiKey+authorizer"),
            ("authorizerTokenHashes", BearerTokenAuthorizer.HashToken("t")))).Cors.AllowedHeaders);
    }

    [Fact]
    public void A_stage_without_allowed_origins_has_cors_off() => Assert.False(GatewayPolicy.For(Settings()).Cors.IsEnabled);
}
