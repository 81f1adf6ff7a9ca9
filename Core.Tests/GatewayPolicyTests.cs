using System.Security.Cryptography;
using System.Text;
using ItemsApi.Core.Gateway;
using ItemsApi.Core.Http;
using ItemsApi.Core.Routes;
using ItemsApi.Core.Settings;

namespace ItemsApi.Core.Tests;

/// <summary>The deployment fingerprint: a change to the text it hashes redeploys every stage, so the text is pinned here.</summary>
public class GatewayPolicyTests
{
    private static readonly GatewayPolicy Policy = new(AuthMode.ApiKeyAndAuthorizer, "CUSTOM",
        new AuthorizerPolicy("TOKEN", "Authorization", "^Bearer [a-z]+=*$", 300), "x-api-key", "HEADER",
        new ThrottleLimits(12.5, 20), new QuotaLimits(1000, QuotaPeriod.Day), new ThrottleLimits(5, 10),
        new CorsPolicy(["https://app.example.com"]), """{"type":"object"}""", "REGIONAL");

    private static readonly Route Get = RouteTable.All[0] with { Method = "GET", PathTemplate = "/items/{id}", RequestBody = BodyShape.None };
    private static readonly Route Put = Get with { Method = "PUT", RequestBody = BodyShape.ItemDocument };

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    // Each piece starts at a '{' or ',' so the raw strings never open or close on a quote.
    [Fact]
    public void The_fingerprint_hashes_compact_JSON_with_the_serializer_s_default_names_order_and_escaping() =>
        Assert.Equal(Sha256(
            """{"Routes":[{"Method":"GET","PathTemplate":"/items/{id}","RequiresApiKey":true,"RequiresJsonObjectBody":false}""" +
            """,{"Method":"PUT","PathTemplate":"/items/{id}","RequiresApiKey":true,"RequiresJsonObjectBody":true}]""" +
            ""","MethodAuthorization":"CUSTOM","Authorizer":{"Type":"TOKEN","IdentityHeader":"Authorization","IdentityValidationExpression":"^Bearer [a-z]\u002B=*$","ResultTtlInSeconds":300""" +
            ""","IdentitySource":"method.request.header.Authorization"}""" +
            ""","ApiKeySource":"HEADER","Cors":{"AllowedOrigins":["https://app.example.com"]""" +
            ""","AllowedHeaders":"Content-Type,X-Api-Key,Authorization,If-Match","GatewayResponseAllowOrigin":"https://app.example.com"}""" +
            ""","RequestModelSchema":"{\u0022type\u0022:\u0022object\u0022}","EndpointType":"REGIONAL"}"""),
            Policy.DeploymentFingerprint([Get, Put]));

    [Fact]
    public void Without_an_authorizer_or_CORS_the_fingerprint_writes_them_as_null() =>
        Assert.Equal(Sha256(
            """{"Routes":[],"MethodAuthorization":"NONE","Authorizer":null,"ApiKeySource":"HEADER","Cors":null""" +
            ""","RequestModelSchema":"{\u0022type\u0022:\u0022object\u0022}","EndpointType":"REGIONAL"}"""),
            (Policy with { MethodAuthorization = "NONE", Authorizer = null, Cors = CorsPolicy.Disabled }).DeploymentFingerprint([]));
}
