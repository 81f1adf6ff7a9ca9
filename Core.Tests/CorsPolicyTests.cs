using ItemsApi.Core.Http;

namespace ItemsApi.Core.Tests;

/// <summary>The CORS headers on the function's answers, its preflight answers, and API Gateway's own answers.</summary>
public sealed class CorsPolicyTests
{
    private const string App = "https://app.example.com";

    [Fact]
    public void A_preflight_from_an_allowed_origin_gets_methods_headers_and_a_ten_minute_cache()
    {
        ApiResponse preflight = new CorsPolicy([App]).Preflight(App, ["GET", "PUT"]);
        Assert.Equal(204, preflight.StatusCode);
        Assert.Null(preflight.Body);
        Assert.Equal(new Dictionary<string, string>
        {
            ["Vary"] = "Origin",
            ["Access-Control-Allow-Origin"] = App,
            ["Access-Control-Allow-Methods"] = "GET,PUT,OPTIONS",
            ["Access-Control-Allow-Headers"] = "Content-Type,X-Api-Key,Authorization,If-Match,Idempotency-Key",
            ["Access-Control-Max-Age"] = "600",
        }, preflight.Headers);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("https://APP.example.com")] // origins compare exactly
    [InlineData(null)]
    public void A_preflight_from_another_origin_gets_no_permission_only_vary(string? origin)
    {
        ApiResponse preflight = new CorsPolicy([App]).Preflight(origin, ["GET"]);
        Assert.Equal(204, preflight.StatusCode);
        Assert.Equal(new Dictionary<string, string> { ["Vary"] = "Origin" }, preflight.Headers);
    }

    [Fact]
    public void An_allowed_origin_may_read_etag_and_location_and_any_origin_is_echoed_as_star()
    {
        var response = new ApiResponse { StatusCode = 200 };
        new CorsPolicy([App]).ApplyTo(response, App);
        Assert.Equal(new Dictionary<string, string>
        {
            ["Vary"] = "Origin", ["Access-Control-Allow-Origin"] = App, ["Access-Control-Expose-Headers"] = "ETag,Location,Retry-After",
        }, response.Headers);

        Assert.Equal("*", new CorsPolicy(["*"]).AllowOriginFor("https://any.example"));
        Assert.Equal("*", new CorsPolicy(["*"]).AllowOriginFor(null));
        Assert.Null(new CorsPolicy([App]).AllowOriginFor(null));
    }

    [Fact]
    public void Without_cors_no_header_is_added_anywhere()
    {
        var response = new ApiResponse { StatusCode = 200 };
        CorsPolicy.Disabled.ApplyTo(response, App);
        CorsPolicy.Disabled.ApplyToGatewayResponse(response);
        Assert.Empty(response.Headers);
        Assert.False(CorsPolicy.Disabled.IsEnabled);
    }

    [Theory]
    [InlineData(new[] { App }, App)]
    [InlineData(new[] { "*" }, "*")]
    [InlineData(new[] { App, "https://b.example.com" }, null)]
    public void Api_gateways_own_answers_carry_vary_and_the_one_fixed_origin_that_fits_every_caller(string[] origins, string? allowOrigin)
    {
        var expected = new Dictionary<string, string> { ["Vary"] = "Origin" };
        if (allowOrigin is not null) expected["Access-Control-Allow-Origin"] = allowOrigin;
        var policy = new CorsPolicy(origins);
        Assert.Equal(expected, policy.GatewayResponseHeaders);

        var response = new ApiResponse { StatusCode = 429 };
        policy.ApplyToGatewayResponse(response);
        Assert.Equal(expected, response.Headers);
    }
}
