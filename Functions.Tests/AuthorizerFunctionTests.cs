using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.TestUtilities;
using ItemsApi.Core.Auth;
using ItemsApi.Core.Runtime;

namespace ItemsApi.Functions.Tests;

public sealed class AuthorizerFunctionTests : IDisposable
{
    private const string Token = "tkn_7f3c9a1e-local-test";
    private readonly AuthorizerFunction _function;

    public AuthorizerFunctionTests()
    {
        Environment.SetEnvironmentVariable(FunctionContract.AuthorizerTokenHashesVariable,
            $"{BearerTokenAuthorizer.HashToken("another-token")},{BearerTokenAuthorizer.HashToken(Token)}");
        _function = new AuthorizerFunction();
    }

    public void Dispose() => Environment.SetEnvironmentVariable(FunctionContract.AuthorizerTokenHashesVariable, null);

    private static APIGatewayCustomAuthorizerRequest Event(string authorization) =>
        LambdaEvents.Load<APIGatewayCustomAuthorizerRequest>("token-authorizer-request.json", new Dictionary<string, string> { ["token"] = authorization });

    [Fact]
    public void A_configured_token_is_allowed_on_the_whole_stage()
    {
        APIGatewayCustomAuthorizerResponse response = _function.Handle(Event("Bearer " + Token), new TestLambdaContext());

        // Checked on the wire format: IAM needs Version/Statement/Effect/Action/Resource spelled exactly so.
        JsonElement json = LambdaEvents.ToJson(response);
        Assert.Equal("token-" + BearerTokenAuthorizer.HashToken(Token)[..12], json.GetProperty("principalId").GetString());
        JsonElement policy = json.GetProperty("policyDocument");
        Assert.Equal("2012-10-17", policy.GetProperty("Version").GetString());
        JsonElement statement = Assert.Single(policy.GetProperty("Statement").EnumerateArray().ToArray());
        Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
        Assert.Equal(["execute-api:Invoke"], statement.GetProperty("Action").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/dev/*/*"], statement.GetProperty("Resource").EnumerateArray().Select(r => r.GetString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Bearer wrong-token")]
    [InlineData(Token)]
    [InlineData("Basic " + Token)]
    public void Anything_else_is_unauthorized(string authorization)
    {
        var error = Assert.Throws<UnauthorizedException>(() => _function.Handle(Event(authorization), new TestLambdaContext()));
        Assert.Equal("Unauthorized", error.Message);
    }
}
