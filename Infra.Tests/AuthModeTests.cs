using ItemsApi.Core.Auth;
using ItemsApi.Core.Routes;
using ItemsApi.Core.Runtime;
using Pulumi.Testing;
using static ItemsApi.Infra.Tests.AccessAndDataTests;
using static ItemsApi.Infra.Tests.StackRun;

namespace ItemsApi.Infra.Tests;

public class AuthModeTests
{
    private static readonly string TokenHash = BearerTokenAuthorizer.HashToken("a-token");

    private static Task<StackRun> AuthorizerModeAsync() => RunAsync(new Dictionary<string, string>
    {
        ["authMode"] = "apiKey+authorizer", ["authorizerTokenHashes"] = TokenHash, ["authorizerCacheTtlSeconds"] = "120",
    }, secretKeys: ["authorizerTokenHashes"]);

    [Fact]
    public async Task Api_key_mode_has_no_authorizer_and_one_function()
    {
        StackRun run = await RunAsync();
        Assert.Empty(run.OfType<ApiGateway.Authorizer>());
        Assert.Single(run.OfType<Lambda.Function>());
        Assert.False(run.Outputs.ContainsKey("invokePolicy"));
    }

    [Fact]
    public async Task Authorizer_mode_puts_a_token_authorizer_on_every_method()
    {
        StackRun run = await AuthorizerModeAsync();
        MockResourceArgs authorizer = run.Single<ApiGateway.Authorizer>();
        MockResourceArgs function = run.Named<Lambda.Function>("authorizer-function");
        Assert.Equal("TOKEN", Text(authorizer, "type"));
        Assert.Equal("method.request.header.Authorization", Text(authorizer, "identitySource"));
        Assert.Equal(120, Convert.ToInt32(Value(authorizer, "authorizerResultTtlInSeconds")));
        Assert.Contains(Text(function, "name"), Text(authorizer, "authorizerUri"));
        Assert.Equal(FunctionContract.AuthorizerEntryPoint, Text(function, "handler"));

        foreach (MockResourceArgs method in run.OfType<ApiGateway.Method>())
        {
            Assert.Equal("CUSTOM", Text(method, "authorization"));
            Assert.Equal(IdOf(authorizer), Text(method, "authorizerId"));
            Assert.Equal(true, Value(method, "apiKeyRequired"));
        }
    }

    [Fact]
    public async Task The_authorizer_has_its_own_role_log_group_and_invoke_permission()
    {
        StackRun run = await AuthorizerModeAsync();
        MockResourceArgs authorizer = run.Single<ApiGateway.Authorizer>();
        MockResourceArgs permission = run.Named<Lambda.Permission>("api-authorizer-invoke");
        Assert.Equal($"arn:aws:execute-api:{AwsMocks.Region}:{AwsMocks.Account}:api-id/authorizers/{IdOf(authorizer)}", Text(permission, "sourceArn"));
        Assert.Equal("items-api-dev-authorizer", Text(permission, "function"));

        MockResourceArgs logGroup = run.Named<CloudWatch.LogGroup>("authorizer-function-logs");
        Assert.Equal("/aws/lambda/items-api-dev-authorizer", Text(logGroup, "name"));
        MockResourceArgs policy = run.Named<Iam.RolePolicy>("authorizer-function-policy");
        string logGroupArn = $"arn:aws:logs:{AwsMocks.Region}:{AwsMocks.Account}:log-group:/aws/lambda/items-api-dev-authorizer:*";
        AssertNoWildcards(Statements(Text(policy, "policy")), [logGroupArn]);
        Assert.NotEqual(Text(run.Named<Lambda.Function>("items-function"), "role"),
            Text(run.Named<Lambda.Function>("authorizer-function"), "role"));
    }

    [Fact]
    public async Task The_token_hashes_reach_the_authorizer_environment()
    {
        StackRun run = await AuthorizerModeAsync();
        MockResourceArgs args = run.Named<Lambda.Function>("authorizer-function");
        var variables = (System.Collections.Immutable.ImmutableDictionary<string, object>)Map(args, "environment")["variables"];
        Assert.Equal(TokenHash, variables[FunctionContract.AuthorizerTokenHashesVariable]);
    }

    [Fact]
    public async Task Iam_mode_signs_every_method_and_exports_a_narrow_invoke_policy()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["authMode"] = "iam" });
        Assert.All(run.OfType<ApiGateway.Method>(), m => Assert.Equal("AWS_IAM", Text(m, "authorization")));
        Assert.All(run.OfType<ApiGateway.Method>(), m => Assert.Equal(true, Value(m, "apiKeyRequired")));

        var statement = Assert.Single(Statements(await run.OutputAsync<string>("invokePolicy")));
        Assert.Equal(["execute-api:Invoke"], statement.Actions);
        string stageArn = $"arn:aws:execute-api:{AwsMocks.Region}:{AwsMocks.Account}:api-id/dev";
        Assert.Equal(RouteTable.All.Select(r => $"{stageArn}/{r.Method}{r.PathTemplate.Replace("{id}", "*")}").Order(), statement.Resources.Order());
    }
}
