using ItemsApi.Core.Auth;
using ItemsApi.Core.Routes;
using ItemsApi.Core.Runtime;
using Pulumi.Testing;
using static ItemsApi.Infra.Tests.AccessAndDataTests;
using static ItemsApi.Infra.Tests.StackRun;
using ItemsApi.DeployTime.Project;

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
        Assert.False(run.Outputs.ContainsKey(StackOutputNames.InvokePolicy));
    }

    [Fact]
    public async Task Authorizer_mode_puts_a_token_authorizer_on_every_method()
    {
        StackRun run = await AuthorizerModeAsync();
        ApiGateway.Authorizer authorizer = run.Single<ApiGateway.Authorizer>();
        Lambda.Function function = run.Named<Lambda.Function>("authorizer-function");
        Assert.Equal("TOKEN", await authorizer.Type.GetValueAsync());
        Assert.Equal("method.request.header.Authorization", await authorizer.IdentitySource.GetValueAsync());
        Assert.Equal(120, await authorizer.AuthorizerResultTtlInSeconds.GetValueAsync());
        Assert.Contains(await function.Name.GetValueAsync(), await authorizer.AuthorizerUri.GetValueAsync());
        Assert.Equal(FunctionContract.AuthorizerEntryPoint, await function.Handler.GetValueAsync());

        Assert.Equal(RouteTable.All.Count, run.OfType<ApiGateway.Method>().Count);
        foreach (ApiGateway.Method method in run.OfType<ApiGateway.Method>())
        {
            Assert.Equal("CUSTOM", await method.Authorization.GetValueAsync());
            Assert.Equal(IdOf(authorizer), await method.AuthorizerId.GetValueAsync());
            Assert.Equal(true, await method.ApiKeyRequired.GetValueAsync());
        }
    }

    [Fact]
    public async Task The_authorizer_has_its_own_role_log_group_and_invoke_permission()
    {
        StackRun run = await AuthorizerModeAsync();
        ApiGateway.Authorizer authorizer = run.Single<ApiGateway.Authorizer>();
        Lambda.Permission permission = run.Named<Lambda.Permission>("api-authorizer-invoke");
        Assert.Equal($"arn:aws:execute-api:{AwsMocks.Region}:{AwsMocks.Account}:api-id/authorizers/{IdOf(authorizer)}", await permission.SourceArn.GetValueAsync());
        Assert.Equal("items-api-dev-authorizer", await permission.Function.GetValueAsync());

        CloudWatch.LogGroup logGroup = run.Named<CloudWatch.LogGroup>("authorizer-function-logs");
        Assert.Equal("/aws/lambda/items-api-dev-authorizer", await logGroup.Name.GetValueAsync());
        Iam.RolePolicy policy = run.Named<Iam.RolePolicy>("authorizer-function-policy");
        string logGroupArn = $"arn:aws:logs:{AwsMocks.Region}:{AwsMocks.Account}:log-group:/aws/lambda/items-api-dev-authorizer:*";
        AssertNoWildcards(Statements(await policy.Policy.GetValueAsync()), [logGroupArn]);
        Assert.NotEqual(await run.Named<Lambda.Function>("items-function").Role.GetValueAsync(),
            await run.Named<Lambda.Function>("authorizer-function").Role.GetValueAsync());
    }

    [Fact]
    public async Task The_token_hashes_reach_the_authorizer_environment()
    {
        StackRun run = await AuthorizerModeAsync();
        var variables = await VariablesAsync(run.Named<Lambda.Function>("authorizer-function"));
        Assert.Equal(TokenHash, variables[FunctionContract.AuthorizerTokenHashesVariable]);
    }

    [Fact]
    public async Task Iam_mode_signs_every_method_and_exports_a_narrow_invoke_policy()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["authMode"] = "iam" });
        Assert.Equal(RouteTable.All.Count, run.OfType<ApiGateway.Method>().Count);
        foreach (ApiGateway.Method m in run.OfType<ApiGateway.Method>())
        {
            Assert.Equal("AWS_IAM", await m.Authorization.GetValueAsync());
            Assert.Equal(true, await m.ApiKeyRequired.GetValueAsync());
        }

        var statement = Assert.Single(Statements(await run.OutputAsync<string>(StackOutputNames.InvokePolicy)));
        Assert.Equal(["execute-api:Invoke"], statement.Actions);
        string stageArn = $"arn:aws:execute-api:{AwsMocks.Region}:{AwsMocks.Account}:api-id/dev";
        Assert.Equal(RouteTable.All.Select(r => $"{stageArn}/{r.Method}{r.PathTemplate.Replace("{id}", "*")}").Order(), statement.Resources.Order());
    }
}
