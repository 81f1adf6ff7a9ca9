using System.Net;
using System.Text.Json;
using ItemsApi.Core.Auth;
using ItemsApi.DeployTime.Gateway;

namespace ItemsApi.LocalGateway.Tests;

/// <summary>
/// The local stage refuses with exactly the answers the contract lists (<see cref="GatewayAnswer"/>), the ones verify
/// expects of a deployed stage: status, body, error type header and access-log fields, for a request failing each check.
/// </summary>
public sealed class GatewayAnswerTests
{
    private const string Token = "the-token";

    public static TheoryData<GatewayCheck> Checks => new(Enum.GetValues<GatewayCheck>());

    [Theory]
    [MemberData(nameof(Checks))]
    public async Task A_request_failing_a_check_gets_that_checks_answer(GatewayCheck check)
    {
        var config = new Dictionary<string, string> { ["authMode"] = "apiKey+authorizer", ["authorizerTokenHashes"] = BearerTokenAuthorizer.HashToken(Token) };
        if (check == GatewayCheck.MethodThrottle) (config["stageThrottleRateLimit"], config["stageThrottleBurstLimit"]) = ("1", "1");
        if (check == GatewayCheck.UsagePlanThrottle) (config["usagePlanRateLimit"], config["usagePlanBurstLimit"]) = ("1", "1");
        if (check == GatewayCheck.Quota) config["quotaLimit"] = "1";
        await using LocalStage api = await LocalStage.StartAsync(config);

        string url = check == GatewayCheck.RouteExists ? api.ItemsUrl + "/01ARZ3NDEKTSV4RRFFQ69G5FAV/nothing" : api.ItemsUrl;
        string body = check switch
        {
            GatewayCheck.PayloadSize => $$"""{"big":"{{new string('x', GatewayPolicy.MaxPayloadBytes)}}"}""",
            GatewayCheck.BodyValidation => "[1]",
            _ => "{}",
        };
        (string, string)[] bearer = check == GatewayCheck.Authorizer ? [] : [("Authorization", "Bearer " + Token)];
        // As curl does for a large body: ask first, so the 413 arrives before the body is sent.
        if (check == GatewayCheck.PayloadSize) bearer = [.. bearer, ("Expect", "100-continue")];
        string? key = check == GatewayCheck.ApiKey ? null : LocalStage.ApiKey;
        bool spendsFirst = check is GatewayCheck.MethodThrottle or GatewayCheck.UsagePlanThrottle or GatewayCheck.Quota;
        if (spendsFirst) Assert.Equal(HttpStatusCode.Created, (await api.SendAsync(HttpMethod.Post, url, "{}", key, bearer)).StatusCode);

        HttpResponseMessage refused = await api.SendAsync(HttpMethod.Post, url, body, key, bearer);

        GatewayAnswer answer = GatewayAnswer.For(check);
        Assert.Equal(answer.Status, (int)refused.StatusCode);
        Assert.Equal(answer.Body, await refused.Content.ReadAsStringAsync());
        Assert.Equal(answer.ResponseType, refused.Headers.GetValues("x-amzn-ErrorType").Single());
        JsonElement line = api.AccessLog()[^1];
        Assert.Equal(answer.Message, line.GetProperty("errorMessage").GetString());
        Assert.Equal(answer.ResponseType, line.GetProperty("errorResponseType").GetString());
        Assert.Equal("-", line.GetProperty("integrationStatus").GetString()); // the function never ran
    }

    [Fact]
    public async Task The_access_log_has_the_authorizers_invocation_when_it_ran_and_a_dash_when_it_did_not()
    {
        await using LocalStage api = await LocalStage.StartAsync(
            new() { ["authMode"] = "apiKey+authorizer", ["authorizerTokenHashes"] = BearerTokenAuthorizer.HashToken(Token) });

        await api.SendAsync(HttpMethod.Get, api.ItemsUrl, headers: [("Authorization", "Bearer " + Token)]);
        await api.SendAsync(HttpMethod.Get, api.ItemsUrl, headers: [("Authorization", "Bearer not-the-token")]);
        await api.SendAsync(HttpMethod.Get, api.ItemsUrl, headers: [("Authorization", "Basic dXNlcjpwYXNz")]); // not a bearer token: refused before it
        await api.SendAsync(HttpMethod.Get, api.ItemsUrl);

        string[] ids = api.AccessLog().Select(l => l.GetProperty("authorizerRequestId").GetString()!).ToArray();
        Assert.Equal(4, ids.Length);
        Assert.All(ids[..2], id => Assert.True(Guid.TryParse(id, out _), id));
        Assert.NotEqual(ids[0], ids[1]);
        Assert.Equal(["-", "-"], ids[2..]);
        Assert.Equal(["-", "Unauthorized", "Unauthorized", "Unauthorized"], api.AccessLog().Select(l => l.GetProperty("authorizerError").GetString()));
    }

    [Fact]
    public async Task Without_an_authorizer_the_field_is_a_dash()
    {
        await using LocalStage api = await LocalStage.StartAsync();
        await api.SendAsync(HttpMethod.Get, api.ItemsUrl, headers: [("Authorization", "Bearer " + Token)]);
        Assert.Equal("-", Assert.Single(api.AccessLog()).GetProperty("authorizerRequestId").GetString());
    }
}
