using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.TestUtilities;
using ItemsApi.Core.Auth;
using ItemsApi.Core.Runtime;

namespace ItemsApi.Functions.Tests;

[Collection(ProcessEnvironment.Name)] // the function reads its token hashes from the environment
public sealed class AuthorizerFunctionTests
{
    private const string Token = "tkn_7f3c9a1e-local-test";
    private readonly AuthorizerFunction _function;

    public AuthorizerFunctionTests()
    {
        using (EnvironmentVariables.Set((FunctionContract.AuthorizerTokenHashesVariable,
            $"{BearerTokenAuthorizer.HashToken("another-token")},{BearerTokenAuthorizer.HashToken(Token)}")))
            _function = new AuthorizerFunction();
    }

    private static APIGatewayCustomAuthorizerRequest Event(string authorization) =>
        LambdaEvents.Deserialize<APIGatewayCustomAuthorizerRequest>(ApiGatewayEvents.TokenAuthorizerRequest(authorization));

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
    [InlineData("", BearerTokenAuthorizer.MissingToken)]
    [InlineData("Bearer wrong-token", BearerTokenAuthorizer.UnknownToken)]
    [InlineData(Token, BearerTokenAuthorizer.MalformedToken)]
    [InlineData("Basic " + Token, BearerTokenAuthorizer.MalformedToken)]
    public void Anything_else_is_unauthorized_with_the_reason(string authorization, string reason)
    {
        var error = Assert.Throws<UnauthorizedException>(() => _function.Handle(Event(authorization), new TestLambdaContext()));
        Assert.Equal("Unauthorized", error.Message);
        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public void A_good_token_without_a_method_arn_to_scope_the_policy_to_is_unauthorized()
    {
        APIGatewayCustomAuthorizerRequest request = Event("Bearer " + Token);
        request.MethodArn = "not-an-arn";
        var error = Assert.Throws<UnauthorizedException>(() => _function.Handle(request, new TestLambdaContext()));
        Assert.Equal(AuthorizerFunction.UnexpectedMethodArn, error.Reason);
    }

    [Fact]
    public void A_denial_is_one_line_without_a_stack_trace_even_once_thrown()
    {
        // What Lambda's runtime reads from an unhandled exception: Message for the error report (API Gateway's 401),
        // ToString for the log line, StackTrace for the report's stack.
        var error = Assert.Throws<UnauthorizedException>(() => _function.Handle(Event("Bearer " + Token + "x"), new TestLambdaContext()));
        Assert.Equal("ItemsApi.Functions.UnauthorizedException: Unauthorized (unknown token)", error.ToString());
        Assert.Null(error.StackTrace);
        Assert.DoesNotContain(Token, error.ToString());
    }
}
