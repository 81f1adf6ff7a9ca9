using ItemsApi.Infra.Components;
using Pulumi.Testing;
using static ItemsApi.Infra.Tests.StackRun;

namespace ItemsApi.Infra.Tests;

/// <summary>
/// The region's API Gateway CloudWatch role, in each state an account can be in. The account's role setting is
/// one value per region; IAM is answered by the mocked getRoles invoke.
/// </summary>
public class LoggingRoleTests
{

    [Fact]
    public async Task On_a_fresh_account_the_stack_creates_the_shared_role_and_points_the_account_setting_at_it()
    {
        StackRun run = await RunAsync();
        Iam.Role role = run.Named<Iam.Role>("apigateway-logging-role");
        Assert.Equal(ApiGatewayLoggingRole.RoleName, await role.Name.GetValueAsync());
        Assert.True(string.IsNullOrEmpty(ImportIdOf(run))); // created, not imported
        Assert.Contains("apigateway.amazonaws.com", await role.AssumeRolePolicy.GetValueAsync());
        Assert.Equal("arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
            await run.Named<Iam.RolePolicyAttachment>("apigateway-logging-role-push-logs").PolicyArn.GetValueAsync());
        Assert.Equal($"arn:aws:iam::{AwsMocks.Account}:role/{ApiGatewayLoggingRole.RoleName}", await run.Single<ApiGateway.Account>().CloudwatchRoleArn.GetValueAsync());
    }

    /// <summary>
    /// The id the engine was asked to import the role by (none: create it). Raw, because that is the registration itself:
    /// the resource's Id output is what the mocks answer, not what the program asked for.
    /// </summary>
    private static string? ImportIdOf(StackRun run) => run.RawNamed<Iam.Role>("apigateway-logging-role").Id;

    [Fact]
    public async Task When_another_stack_already_made_the_role_this_stack_adopts_it_instead_of_failing_on_the_name()
    {
        var mocks = new AwsMocks { ExistingRoles = { "some-other-role", ApiGatewayLoggingRole.RoleName } };
        StackRun run = await RunAsync(mocks: mocks);
        Assert.Equal(ApiGatewayLoggingRole.RoleName, ImportIdOf(run)); // imported by name
        Assert.Single(run.OfType<ApiGateway.Account>());
    }

    [Fact]
    public async Task A_similar_role_name_is_not_mistaken_for_the_shared_role()
    {
        var mocks = new AwsMocks { ExistingRoles = { ApiGatewayLoggingRole.RoleName + "-old" } };
        Assert.True(string.IsNullOrEmpty(ImportIdOf(await RunAsync(mocks: mocks))));
    }

    [Fact]
    public async Task Two_stacks_declare_identical_values_so_neither_undoes_the_other_and_refresh_shows_no_drift()
    {
        StackRun dev = await RunAsync(new Dictionary<string, string> { ["stageName"] = "dev" }, stack: "dev");
        StackRun prod = await RunAsync(new Dictionary<string, string> { ["stageName"] = "prod", ["executionLogLevel"] = "ERROR" }, stack: "prod",
            mocks: new AwsMocks { ExistingRoles = { ApiGatewayLoggingRole.RoleName } });
        // Raw inputs, compared whole: what each stack sends the engine must be the same, key for key.
        foreach (string type in new[] { TypeToken<Iam.Role>(), TypeToken<Iam.RolePolicyAttachment>(), TypeToken<ApiGateway.Account>() })
        {
            MockResourceArgs a = Assert.Single(dev.RawOfType(type), r => r.Name!.StartsWith("apigateway-logging-role", StringComparison.Ordinal));
            MockResourceArgs b = Assert.Single(prod.RawOfType(type), r => r.Name!.StartsWith("apigateway-logging-role", StringComparison.Ordinal));
            Assert.NotEmpty(a.Inputs);
            Assert.Equal(a.Inputs.ToDictionary(kv => kv.Key, kv => kv.Value.ToString()), b.Inputs.ToDictionary(kv => kv.Key, kv => kv.Value.ToString()));
        }
    }

    [Fact]
    public void Everything_shared_is_kept_on_destroy_so_other_stacks_keep_logging()
    {
        // Pulumi's mocks do not see resource options; the component builds them here.
        Assert.True(ApiGatewayLoggingRole.SharedOptions(null, importId: null).RetainOnDelete);
        Assert.Equal(ApiGatewayLoggingRole.RoleName, ApiGatewayLoggingRole.SharedOptions(null, importId: ApiGatewayLoggingRole.RoleName).ImportId);
    }

    [Theory]
    [InlineData("apiGatewayLoggingRole", "external")]
    [InlineData("accessLogs", "false")]
    public async Task With_the_setting_managed_elsewhere_or_no_logs_the_stack_leaves_the_account_alone(string key, string value)
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { [key] = value });
        Assert.Empty(run.OfType<ApiGateway.Account>());
        Assert.DoesNotContain(run.OfType<Iam.Role>(), r => r.GetResourceName() == "apigateway-logging-role");
    }

    [Fact]
    public async Task Execution_logs_alone_still_need_the_role()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["accessLogs"] = "false", ["executionLogLevel"] = "ERROR" });
        Assert.Single(run.OfType<ApiGateway.Account>());
    }
}
