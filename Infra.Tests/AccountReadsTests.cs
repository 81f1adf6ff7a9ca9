using ItemsApi.DeployTime.Aws;
using ItemsApi.DeployTime.Settings;
using ItemsApi.Infra.Components;
using Pulumi.Testing;
using static ItemsApi.Infra.Tests.StackRun;

namespace ItemsApi.Infra.Tests;

/// <summary>What the program reads from the account at preview (<see cref="AccountReads"/>), and what it does with the answers.</summary>
public class AccountReadsTests
{
    private static readonly AwsApiException Refused = new("lambda:GetAccountSettings", 403, "AccessDeniedException", "not authorized");

    // The region's API Gateway CloudWatch role: AWS keeps one setting per account and region (AWS::ApiGateway::Account:
    // "you should only have one AWS::ApiGateway::Account resource per region per account"), so a stack must not take it over.

    [Fact]
    public async Task A_cloudwatch_role_set_by_someone_else_is_left_alone()
    {
        var account = new FakeAccount { CloudWatchRoleArn = $"arn:aws:iam::{AwsMocks.Account}:role/aws-controltower-ApiGatewayLogging" };
        StackRun run = await RunAsync(aws: account.Apis());
        Assert.Empty(run.OfType<ApiGateway.Account>());
        Assert.DoesNotContain(run.OfType<Iam.Role>(), r => r.GetResourceName() == "apigateway-logging-role");
        Assert.Contains("cloudwatch-role", account.Calls);
        Assert.NotNull(run.Single<ApiGateway.Stage>()); // the stage still logs, through that role
    }

    [Theory]
    [InlineData(null)]
    [InlineData($"arn:aws:iam::{AwsMocks.Account}:role/{ApiGatewayLoggingRole.RoleName}")]
    public async Task An_unset_setting_or_the_projects_own_role_is_declared_as_before(string? current)
    {
        StackRun run = await RunAsync(aws: new FakeAccount { CloudWatchRoleArn = current }.Apis());
        Assert.Single(run.OfType<ApiGateway.Account>());
    }

    [Fact]
    public void Only_the_projects_role_counts_as_its_own()
    {
        Assert.True(ApiGatewayLoggingRole.IsSharedRole($"arn:aws-cn:iam::{AwsMocks.Account}:role/{ApiGatewayLoggingRole.RoleName}"));
        Assert.False(ApiGatewayLoggingRole.IsSharedRole($"arn:aws:iam::{AwsMocks.Account}:role/{ApiGatewayLoggingRole.RoleName}-old"));
        Assert.False(ApiGatewayLoggingRole.IsSharedRole($"arn:aws:iam::{AwsMocks.Account}:role/team/{ApiGatewayLoggingRole.RoleName}"));
    }

    // The account's concurrency: Lambda refuses a reservation that leaves fewer than 100 unreserved executions
    // (PutFunctionConcurrency, PutProvisionedConcurrencyConfig), whatever accountConcurrencyLimit says.

    [Fact]
    public async Task Reservations_are_checked_against_the_limit_lambda_reports_not_the_number_in_config()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            RunAsync(new Dictionary<string, string> { ["reservedConcurrency"] = "50" }, aws: new FakeAccount { ConcurrencyLimit = 10 }.Apis()));
        Assert.Contains("items-api:reservedConcurrency = 50 is not valid; expected 0: with the account's Lambda concurrency limit in eu-west-1 (GetAccountSettings) 10 nothing can be reserved", error.ToString());
    }

    [Fact]
    public async Task The_measured_limit_is_the_concurrency_alarms_limit_too()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["monitoring"] = "true" }, stack: "dev", aws: new FakeAccount { ConcurrencyLimit = 3000 }.Apis());
        CloudWatch.MetricAlarm alarm = await run.SingleAsync((CloudWatch.MetricAlarm a) => a.Name, name => name.EndsWith("function-concurrency", StringComparison.Ordinal));
        Assert.Equal(2400, await alarm.Threshold.GetValueAsync());
    }

    [Fact]
    public async Task When_the_limit_cannot_be_read_the_config_value_is_used()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["reservedConcurrency"] = "50" }, aws: new FakeAccount { Failure = Refused }.Apis());
        Assert.Equal(50, await run.Single<Lambda.Function>().ReservedConcurrentExecutions.GetValueAsync());
    }

    // Lowering reserved and provisioned concurrency in one `up`: Lambda keeps provisioned within reserved ("You can't
    // allocate more provisioned concurrency than reserved concurrency for a function"), and the engine updates the
    // function, which carries the reservation, before the alias's provisioned config, which depends on it.

    [Fact]
    public async Task The_function_and_its_reservation_are_updated_before_the_provisioned_config()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["reservedConcurrency"] = "10", ["provisionedConcurrency"] = "8" });
        Assert.True(run.PositionOf($"end:{TypeToken<Lambda.Function>()}::items-function")
            < run.PositionOf($"start:{TypeToken<Lambda.ProvisionedConcurrencyConfig>()}::items-function-provisioned"));
    }

    [Fact]
    public async Task Lowering_the_reservation_below_what_is_provisioned_now_holds_it_there_for_one_update()
    {
        var account = new FakeAccount { ProvisionedNow = 8 };
        StackRun run = await RunAsync(new Dictionary<string, string> { ["reservedConcurrency"] = "4", ["provisionedConcurrency"] = "3" }, aws: account.Apis());
        Assert.Equal(8, await run.Single<Lambda.Function>().ReservedConcurrentExecutions.GetValueAsync());
        Assert.Equal(3, await run.Single<Lambda.ProvisionedConcurrencyConfig>().ProvisionedConcurrentExecutions.GetValueAsync());
        Assert.Contains("provisioned items-api-dev-items", account.Calls);

        // The next update finds 3 provisioned and applies 4.
        StackRun next = await RunAsync(new Dictionary<string, string> { ["reservedConcurrency"] = "4", ["provisionedConcurrency"] = "3" },
            aws: new FakeAccount { ProvisionedNow = 3 }.Apis());
        Assert.Equal(4, await next.Single<Lambda.Function>().ReservedConcurrentExecutions.GetValueAsync());
    }

    [Fact]
    public async Task Reads_that_fail_warn_and_fail_nothing()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["monitoring"] = "true", ["reservedConcurrency"] = "5" }, aws: _ => throw new ProviderIdentityException("no credentials"));
        Assert.Single(run.OfType<ApiGateway.Account>());
        Assert.Equal(5, await run.Single<Lambda.Function>().ReservedConcurrentExecutions.GetValueAsync());
    }
}
