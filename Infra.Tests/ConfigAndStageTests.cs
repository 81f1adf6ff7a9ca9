using ItemsApi.DeployTime.Settings;
using Pulumi.Testing;
using static ItemsApi.Infra.Tests.StackRun;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.Infra.Tests;

/// <summary>Config validation, how config arrives, and what differs between the committed stages.</summary>
public class ConfigAndStageTests
{
    private static Task<StackRun> RunStackFileAsync(string stack) =>
        RunAsync(StackFile.Load(ProjectFiles.FindRoot(), stack).Values.ToDictionary(), stack);

    [Theory]
    [InlineData("usagePlanBurstLimit", "1", "items-api:usagePlanBurstLimit = 1 is not valid")]
    [InlineData("quotaPeriod", "YEAR", "expected one of DAY, WEEK, MONTH")]
    [InlineData("logRetentionDays", "42", "items-api:logRetentionDays = '42' is not valid")]
    public async Task Invalid_config_fails_before_the_function_is_built_or_any_resource_is_declared(string key, string value, string message)
    {
        var mocks = new AwsMocks();
        bool built = false;
        using (EnvironmentVariables.Set(("PULUMI_CONFIG", $$"""{"items-api:{{key}}":"{{value}}"}""")))
        {
            Exception error = await Assert.ThrowsAnyAsync<Exception>(() => Pulumi.Deployment.TestAsync(mocks,
                new TestOptions { ProjectName = ConfigKeys.Project, StackName = "dev", IsPreview = false },
                () => ItemsApiStack.RunAsync(_ => { built = true; return new Pulumi.FileArchive("."); })));
            Assert.Contains(message, error.ToString());
            Assert.False(built);
            Assert.Empty(mocks.Registered);
        }
    }

    [Fact]
    public async Task Config_arrives_through_pulumi_config_with_namespaced_keys()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["lambdaMemoryMb"] = "2048", ["stageName"] = "blue" });
        Assert.Equal(2048, await run.Named<Lambda.Function>("items-function").MemorySize.GetValueAsync());
        Assert.Equal("blue", await run.Single<ApiGateway.Stage>().StageName.GetValueAsync());
    }

    [Fact]
    public async Task The_stage_name_defaults_to_the_stack_name()
    {
        StackRun run = await RunAsync(stack: "qa");
        Assert.Equal("qa", await run.Single<ApiGateway.Stage>().StageName.GetValueAsync());
        Assert.Equal("items-api-qa-items", await run.Named<Lambda.Function>("items-function").Name.GetValueAsync());
    }

    [Fact]
    public async Task Dev_is_unprotected_with_short_retention_and_no_execution_logs()
    {
        StackRun dev = await RunStackFileAsync("dev");
        Assert.Equal(false, await dev.Single<DynamoDB.Table>().DeletionProtectionEnabled.GetValueAsync());
        Assert.False(dev.IsProtected<DynamoDB.Table>());
        Assert.Equal("OFF", (await dev.Single<ApiGateway.MethodSettings>().Settings.GetValueAsync()).LoggingLevel);
        Assert.Equal(14, await dev.Named<CloudWatch.LogGroup>("items-function-logs").RetentionInDays.GetValueAsync());
        Assert.Equal("dev", await dev.Single<ApiGateway.Stage>().StageName.GetValueAsync());
    }

    [Fact]
    public async Task Prod_protects_its_data_keeps_logs_longer_and_logs_execution_errors()
    {
        StackRun prod = await RunStackFileAsync("prod");
        Assert.Equal(true, await prod.Single<DynamoDB.Table>().DeletionProtectionEnabled.GetValueAsync());
        Assert.True(prod.IsProtected<DynamoDB.Table>()); // and Pulumi refuses to delete it
        Assert.Equal(90, await prod.Named<CloudWatch.LogGroup>("items-function-logs").RetentionInDays.GetValueAsync());
        Assert.Equal("ERROR", (await prod.Single<ApiGateway.MethodSettings>().Settings.GetValueAsync()).LoggingLevel);
        Assert.Equal("MONTH", (await prod.Single<ApiGateway.UsagePlan>().QuotaSettings.GetDeclaredAsync()).Period);
        Assert.Equal(1024, await prod.Named<Lambda.Function>("items-function").MemorySize.GetValueAsync());
        Assert.Equal("prod", await prod.Single<ApiGateway.Stage>().StageName.GetValueAsync());
    }
}
