using ItemsApi.Core.Auth;
using static ItemsApi.Infra.Tests.StackRun;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.Infra.Tests;

/// <summary>
/// Issue 26, fault 10. API Gateway caches a TOKEN authorizer's policy per token for the authorizer's TTL
/// (authorizerResultTtlInSeconds); a new environment on the authorizer function does not clear it, so a revoked token
/// keeps its cached Allow. FlushStageAuthorizersCache (DELETE /restapis/{id}/stages/{stage}/cache/authorizers) drops it.
/// </summary>
public class AuthorizerCacheTests
{
    private static readonly Dictionary<string, string> AuthorizerMode = new()
    {
        ["authMode"] = "apiKey+authorizer", ["authorizerTokenHashes"] = BearerTokenAuthorizer.HashToken("a-token"),
    };

    [Fact]
    public async Task Up_flushes_the_stages_authorizer_cache_after_the_authorizer_function_is_updated()
    {
        var mocks = new AwsMocks();
        var account = new FakeAccount { Events = mocks.Events };
        StackRun run = await RunAsync(AuthorizerMode, secretKeys: ["authorizerTokenHashes"], mocks: mocks, aws: account.Apis());

        Assert.Contains("flush api-id dev", account.Calls);
        int flush = run.PositionOf("call:flush api-id dev");
        Assert.True(run.PositionOf($"end:{TypeToken<Lambda.Function>()}::authorizer-function") < flush, "the new environment is live before the flush");
        Assert.True(run.PositionOf($"end:{TypeToken<ApiGateway.Stage>()}::api") < flush, "the stage exists before its cache is flushed");
    }

    [Fact]
    public async Task Preview_and_api_key_mode_flush_nothing()
    {
        var previewed = new FakeAccount();
        await RunAsync(AuthorizerMode, secretKeys: ["authorizerTokenHashes"], aws: previewed.Apis(), preview: true);
        Assert.DoesNotContain(previewed.Calls, c => c.StartsWith("flush", StringComparison.Ordinal));

        var keyOnly = new FakeAccount();
        await RunAsync(aws: keyOnly.Apis());
        Assert.DoesNotContain(keyOnly.Calls, c => c.StartsWith("flush", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_flush_fails_nothing()
    {
        var account = new FakeAccount { Failure = new InvalidOperationException("AccessDenied") };
        StackRun run = await RunAsync(AuthorizerMode, secretKeys: ["authorizerTokenHashes"], aws: account.Apis());
        Assert.Contains("flush api-id dev", account.Calls);
        Assert.Equal("dev", await run.OutputAsync<string>(StackOutputNames.StageName));
    }

    [Fact]
    public void The_warning_names_the_cli_command_that_does_the_same_flush() =>
        Assert.Equal("aws apigateway flush-stage-authorizers-cache --region eu-west-1 --rest-api-id a1b2c3 --stage-name prod",
            AuthorizerCacheFlush.ManualCommand("eu-west-1", "a1b2c3", "prod"));
}
