using System.Net;
using ItemsApi.Core.Auth;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.LocalGateway.Tests;

/// <summary>The local stage exposes every route row, with the row's key and body rules, in front of the function.</summary>
public sealed class RouteContractTests
{
    [Fact]
    public async Task Every_row_is_reachable_with_the_key_refused_without_it_and_validated_as_the_row_says()
    {
        await using LocalStage api = await LocalStage.StartAsync();
        string stagePrefix = new Uri(api.ItemsUrl).AbsolutePath[..^RouteTable.ItemsPath.Length];
        foreach (Route route in RouteTable.All)
        {
            HttpResponseMessage created = await api.SendAsync(HttpMethod.Post, api.ItemsUrl, "{}");
            string id = (await created.Content.ReadAsStringAsync()).Split('"')[3];
            string url = new Uri(new Uri(api.ItemsUrl), stagePrefix + route.PathTemplate.Replace("{" + RouteTable.ItemIdParameter + "}", id)).ToString();
            var method = new HttpMethod(route.Method);
            (string, string)[] ifMatch = [("If-Match", "\"1\"")];

            Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(method, url, route.RequiresJsonObjectBody ? "{}" : null, apiKey: null, headers: ifMatch)).StatusCode);

            HttpResponseMessage notAnObject = await api.SendAsync(method, url, "[1]", headers: ifMatch);
            if (route.RequiresJsonObjectBody)
            {
                Assert.Equal(HttpStatusCode.BadRequest, notAnObject.StatusCode);
                Assert.Equal("Invalid request body", await LocalStage.MessageAsync(notAnObject)); // the gateway's answer, not the function's
            }
            else
            {
                // No body rule on this route: the gateway passes the request on to the function.
                Assert.DoesNotContain("Invalid request body", await notAnObject.Content.ReadAsStringAsync());
                Assert.Equal(route.Method == "DELETE" ? HttpStatusCode.NoContent : (HttpStatusCode)route.SuccessStatus, notAnObject.StatusCode);
                if (route.Method == "DELETE") continue; // the item is gone already
            }

            HttpResponseMessage ok = await api.SendAsync(method, url, route.RequiresJsonObjectBody ? "{}" : null, headers: ifMatch);
            Assert.Equal((HttpStatusCode)route.SuccessStatus, ok.StatusCode);
        }
    }

    [Fact]
    public async Task The_checks_run_in_api_gateways_order_authorizer_key_throttle_quota_validation()
    {
        Assert.Equal([GatewayCheck.PayloadSize, GatewayCheck.RouteExists, GatewayCheck.Authorizer, GatewayCheck.ApiKey, GatewayCheck.MethodThrottle,
            GatewayCheck.UsagePlanThrottle, GatewayCheck.Quota, GatewayCheck.BodyValidation],
            GatewayPolicy.For(StageSettings.Load(_ => null, "dev")).Checks);

        string hash = BearerTokenAuthorizer.HashToken("the-token");
        await using LocalStage api = await LocalStage.StartAsync(new()
        {
            ["authMode"] = "apiKey+authorizer", ["authorizerTokenHashes"] = hash, ["quotaLimit"] = "1",
        });
        (string, string)[] bearer = [("Authorization", "Bearer the-token")];
        // No token and no key: the authorizer answers first.
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(HttpMethod.Post, api.ItemsUrl, "[1]", apiKey: null)).StatusCode);
        // Token but no key, bad body: the key comes before validation.
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Post, api.ItemsUrl, "[1]", apiKey: null, headers: bearer)).StatusCode);
        // Key and token, bad body: validation refuses it, after the quota counted it.
        Assert.Equal(HttpStatusCode.BadRequest, (await api.SendAsync(HttpMethod.Post, api.ItemsUrl, "[1]", headers: bearer)).StatusCode);
        HttpResponseMessage overQuota = await api.SendAsync(HttpMethod.Post, api.ItemsUrl, "[1]", headers: bearer);
        Assert.Equal(HttpStatusCode.TooManyRequests, overQuota.StatusCode);
        Assert.Equal("Limit Exceeded", await LocalStage.MessageAsync(overQuota));
    }
}
