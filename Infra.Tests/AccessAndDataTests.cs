using System.Text.Json;
using ItemsApi.Core.Items;
using ItemsApi.Core.Runtime;
using ItemsApi.DeployTime.Settings;
using Pulumi.Testing;
using Pulumi.Utilities;
using static ItemsApi.Infra.Tests.StackRun;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.Infra.Tests;

/// <summary>API key, usage plan, table, function and IAM.</summary>
public class AccessAndDataTests
{
    [Fact]
    public async Task The_usage_plan_binds_this_stage_with_the_configured_throttle_and_quota_and_the_key()
    {
        StackRun run = await RunAsync(new Dictionary<string, string>
        {
            ["usagePlanRateLimit"] = "7.5", ["usagePlanBurstLimit"] = "15", ["quotaLimit"] = "1234", ["quotaPeriod"] = "WEEK",
        });
        ApiGateway.UsagePlan plan = run.Single<ApiGateway.UsagePlan>();
        ApiGateway.Outputs.UsagePlanApiStage apiStage = Assert.Single(await plan.ApiStages.GetValueAsync());
        Assert.Equal((IdOf(run.Single<ApiGateway.RestApi>()), "dev"), (apiStage.ApiId, apiStage.Stage));
        ApiGateway.Outputs.UsagePlanThrottleSettings throttle = await plan.ThrottleSettings.GetDeclaredAsync();
        Assert.Equal(7.5, throttle.RateLimit);
        Assert.Equal(15, throttle.BurstLimit);
        ApiGateway.Outputs.UsagePlanQuotaSettings quota = await plan.QuotaSettings.GetDeclaredAsync();
        Assert.Equal(1234, quota.Limit);
        Assert.Equal("WEEK", quota.Period);

        ApiGateway.UsagePlanKey planKey = run.Single<ApiGateway.UsagePlanKey>();
        Assert.Equal(IdOf(run.Single<ApiGateway.ApiKey>()), await planKey.KeyId.GetValueAsync());
        Assert.Equal(IdOf(plan), await planKey.UsagePlanId.GetValueAsync());
        Assert.Equal("API_KEY", await planKey.KeyType.GetValueAsync());
    }

    [Fact]
    public async Task The_api_key_output_is_a_secret_and_is_the_generated_value()
    {
        StackRun run = await RunAsync();
        Assert.True(await run.IsSecretAsync<string>(StackOutputNames.ApiKey));
        Assert.Equal("generated-by-api-gateway-0123456789", await run.OutputAsync<string>(StackOutputNames.ApiKey));
        // The program sets no value: the engine's input has none (the output above is what the mocks, as AWS, generate).
        Assert.DoesNotContain(nameof(ApiGateway.ApiKey.Value).ToLowerInvariant(), run.RawSingle<ApiGateway.ApiKey>().Inputs.Keys);
    }

    [Fact]
    public async Task A_configured_secret_key_value_is_used_and_stays_secret()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["apiKeyValue"] = "my-own-key-value-0123456789" }, secretKeys: ["apiKeyValue"]);
        Assert.Equal("my-own-key-value-0123456789", await run.OutputAsync<string>(StackOutputNames.ApiKey));
        Assert.True(await run.IsSecretAsync<string>(StackOutputNames.ApiKey));
    }

    [Fact]
    public async Task Secret_config_is_read_as_secret_outputs_that_never_become_plain_text()
    {
        string hash = new('b', 64);
        using (EnvironmentVariables.Set(("PULUMI_CONFIG", $$"""{"items-api:apiKeyValue":"my-own-key-value-0123456789","items-api:authorizerTokenHashes":"{{hash}}"}""")))
        {
            StackSecrets? secrets = null;
            await Pulumi.Deployment.TestAsync(new AwsMocks(), new TestOptions { ProjectName = ConfigKeys.Project, StackName = "dev" }, () =>
            {
                var config = new Pulumi.Config(ConfigKeys.Project);
                secrets = StackSecrets.Read(config, StageSettings.Load(config.Get, "dev"));
                return new Dictionary<string, object?>();
            });
            Assert.True(await Pulumi.Output.IsSecretAsync(secrets!.ApiKeyValue!));
            Assert.True(await Pulumi.Output.IsSecretAsync(secrets.AuthorizerTokenHashes!));
            Assert.Equal(hash, await OutputUtilities.GetValueAsync(secrets.AuthorizerTokenHashes!));
        }
    }

    [Fact]
    public async Task The_table_uses_the_functions_key_schema_on_demand_with_point_in_time_recovery_and_deletion_protection()
    {
        StackRun run = await RunAsync();
        DynamoDB.Table table = run.Single<DynamoDB.Table>();
        Assert.Equal(ItemsTableSchema.PartitionKey, await table.HashKey.GetValueAsync());
        DynamoDB.Outputs.TableAttribute attribute = Assert.Single(await table.Attributes.GetValueAsync());
        Assert.Equal((ItemsTableSchema.PartitionKey, ItemsTableSchema.PartitionKeyType), (attribute.Name, attribute.Type));
        Assert.Equal(ItemsTableSchema.CreateTableRequest("x").KeySchema.Single().AttributeName, await table.HashKey.GetValueAsync());
        Assert.Equal("PAY_PER_REQUEST", await table.BillingMode.GetValueAsync());
        Assert.True((await table.PointInTimeRecovery.GetValueAsync()).Enabled);
        Assert.Equal(true, await table.DeletionProtectionEnabled.GetValueAsync()); // DynamoDB leaves it off unless asked (issue 26, fault 12)
        Assert.Equal(await run.OutputAsync<string>(StackOutputNames.TableName), (await VariablesAsync(run.Named<Lambda.Function>("items-function")))[FunctionContract.TableNameVariable]);
    }

    /// <summary>A function's environment variables.</summary>
    internal static async Task<System.Collections.Immutable.ImmutableDictionary<string, string>> VariablesAsync(Lambda.Function function) =>
        (await function.Environment.GetDeclaredAsync()).Variables;

    [Fact]
    public async Task The_table_expires_idempotency_key_records_by_ttl_and_the_function_gets_the_stages_window()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["idempotencyWindowHours"] = "48" });
        DynamoDB.Outputs.TableTtl ttl = await run.Single<DynamoDB.Table>().Ttl.GetValueAsync();
        Assert.Equal(ItemsTableSchema.ExpiresAtAttribute, ttl.AttributeName);
        Assert.Equal(true, ttl.Enabled);
        var variables = await VariablesAsync(run.Named<Lambda.Function>("items-function"));
        Assert.Equal("48", variables[FunctionContract.IdempotencyWindowHoursVariable]);
    }

    [Fact]
    public async Task Configured_capacities_switch_the_table_to_provisioned_billing()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["tableReadCapacity"] = "5", ["tableWriteCapacity"] = "2" });
        DynamoDB.Table table = run.Single<DynamoDB.Table>();
        Assert.Equal("PROVISIONED", await table.BillingMode.GetValueAsync());
        Assert.Equal(5, await table.ReadCapacity.GetValueAsync());
        Assert.Equal(2, await table.WriteCapacity.GetValueAsync());
    }

    [Fact]
    public async Task The_function_runs_native_on_arm64_by_default_with_the_stage_sizes_and_its_own_log_group()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["lambdaMemoryMb"] = "1024", ["lambdaTimeoutSeconds"] = "12", ["logRetentionDays"] = "30" });
        Lambda.Function function = run.Named<Lambda.Function>("items-function");
        Assert.Equal("provided.al2023", await function.Runtime.GetValueAsync());
        Assert.Equal(FunctionContract.ItemsEntryPoint, await function.Handler.GetValueAsync());
        Assert.Equal(["arm64"], await function.Architectures.GetItemsAsync());
        Assert.Equal(1024, await function.MemorySize.GetValueAsync());
        Assert.Equal(12, await function.Timeout.GetValueAsync());
        Assert.Equal("PassThrough", (await function.TracingConfig.GetValueAsync()).Mode);

        CloudWatch.LogGroup logGroup = run.Named<CloudWatch.LogGroup>("items-function-logs");
        string functionName = await function.Name.GetValueAsync();
        Assert.Equal($"/aws/lambda/{functionName}", await logGroup.Name.GetValueAsync());
        Assert.Equal(30, await logGroup.RetentionInDays.GetValueAsync());
        Assert.Equal(await logGroup.Name.GetValueAsync(), (await function.LoggingConfig.GetValueAsync()).LogGroup);
        Assert.Equal(functionName, await run.OutputAsync<string>(StackOutputNames.FunctionName));
    }

    [Fact]
    public async Task Tracing_is_opt_in_and_uses_the_managed_xray_policy()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["lambdaTracing"] = "true", ["lambdaArchitecture"] = "x86_64" });
        Lambda.Function function = run.Named<Lambda.Function>("items-function");
        Assert.Equal("Active", (await function.TracingConfig.GetValueAsync()).Mode);
        Assert.Equal(["x86_64"], await function.Architectures.GetItemsAsync());
        Assert.Equal("arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess", await run.Named<Iam.RolePolicyAttachment>("items-function-xray").PolicyArn.GetValueAsync());
        // The stage starts the trace and the function continues it: one trace per request.
        Assert.Equal(true, await run.Single<ApiGateway.Stage>().XrayTracingEnabled.GetValueAsync());
        Assert.Equal(false, await (await RunAsync()).Single<ApiGateway.Stage>().XrayTracingEnabled.GetValueAsync());
    }

    [Fact]
    public async Task The_function_role_may_do_only_the_stores_item_actions_on_this_table_and_write_its_own_logs()
    {
        StackRun run = await RunAsync();
        Iam.RolePolicy policy = run.Named<Iam.RolePolicy>("items-function-policy");
        string tableArn = $"arn:aws:dynamodb:{AwsMocks.Region}:{AwsMocks.Account}:table/{await run.OutputAsync<string>(StackOutputNames.TableName)}";
        string logGroupArn = $"arn:aws:logs:{AwsMocks.Region}:{AwsMocks.Account}:log-group:/aws/lambda/items-api-dev-items";

        var statements = Statements(await policy.Policy.GetValueAsync());
        Assert.Equal(DynamoItemStore.RequiredActions.Order(), statements.Single(s => s.Resources.SequenceEqual([tableArn])).Actions.Order());
        Assert.Equal(["logs:CreateLogStream", "logs:PutLogEvents"], statements.Single(s => s.Resources.SequenceEqual([logGroupArn + ":*"])).Actions);
        AssertNoWildcards(statements, [tableArn, logGroupArn + ":*"]);

        Iam.Role role = run.Named<Iam.Role>("items-function-role");
        Assert.Contains("lambda.amazonaws.com", await role.AssumeRolePolicy.GetValueAsync());
    }

    internal sealed record PolicyStatement(string Effect, string[] Actions, string[] Resources);

    internal static List<PolicyStatement> Statements(string policyJson)
    {
        using JsonDocument document = JsonDocument.Parse(policyJson);
        return document.RootElement.GetProperty("Statement").EnumerateArray().Select(s => new PolicyStatement(
            s.GetProperty("Effect").GetString()!,
            s.GetProperty("Action").EnumerateArray().Select(a => a.GetString()!).ToArray(),
            s.GetProperty("Resource").EnumerateArray().Select(r => r.GetString()!).ToArray())).ToList();
    }

    internal static void AssertNoWildcards(IEnumerable<PolicyStatement> statements, IReadOnlyCollection<string> allowedResources)
    {
        Assert.NotEmpty(statements);
        foreach (PolicyStatement statement in statements)
        {
            Assert.NotEmpty(statement.Actions);
            Assert.NotEmpty(statement.Resources);
            Assert.Equal("Allow", statement.Effect);
            Assert.All(statement.Actions, action => Assert.DoesNotContain("*", action));
            Assert.All(statement.Resources, resource => Assert.Contains(resource, allowedResources));
        }
    }

    [Theory]
    [InlineData("snapStart", "true")]
    [InlineData("provisionedConcurrency", "3")]
    public async Task With_snapstart_or_provisioned_concurrency_the_api_calls_a_published_version_through_its_alias(string key, string value)
    {
        // SnapStart needs the managed runtime (a config rule, StageSettingsTests); provisioned concurrency works with either build.
        StackRun run = await RunAsync(new Dictionary<string, string> { [key] = value, ["functionBuild"] = key == "snapStart" ? "readyToRun" : "nativeAot" });
        Lambda.Function function = run.Named<Lambda.Function>("items-function");
        Assert.Equal(true, await function.Publish.GetValueAsync());
        Lambda.Alias alias = run.Single<Lambda.Alias>();
        Assert.Equal("live", await alias.Name.GetValueAsync());
        Assert.Equal("items-api-dev-items", await alias.FunctionName.GetValueAsync());
        Assert.Equal("7", await alias.FunctionVersion.GetValueAsync()); // the version this up published

        string aliasInvokeArn = $"arn:aws:apigateway:{AwsMocks.Region}:lambda:path/2015-03-31/functions/arn:aws:lambda:{AwsMocks.Region}:{AwsMocks.Account}:function:items-api-dev-items:live/invocations";
        Assert.NotEmpty(run.OfType<ApiGateway.Integration>());
        Assert.All(await Task.WhenAll(run.OfType<ApiGateway.Integration>().Select(i => i.Uri.GetValueAsync())), uri => Assert.Equal(aliasInvokeArn, uri));
        Assert.Equal("live", await run.Named<Lambda.Permission>("api-invoke").Qualifier.GetValueAsync());

        if (key == "snapStart")
        {
            Assert.Equal("PublishedVersions", (await function.SnapStart.GetDeclaredAsync()).ApplyOn);
            Assert.Empty(run.OfType<Lambda.ProvisionedConcurrencyConfig>());
        }
        else
        {
            Lambda.ProvisionedConcurrencyConfig provisioned = run.Single<Lambda.ProvisionedConcurrencyConfig>();
            Assert.Equal("live", await provisioned.Qualifier.GetValueAsync());
            Assert.Equal(3, await provisioned.ProvisionedConcurrentExecutions.GetValueAsync());
            Assert.Null(await function.SnapStart.GetValueAsync());
        }
    }

    [Fact]
    public async Task By_default_the_api_calls_the_function_itself_and_no_version_is_published()
    {
        StackRun run = await RunAsync();
        Assert.Empty(run.OfType<Lambda.Alias>());
        Assert.Empty(run.OfType<Lambda.ProvisionedConcurrencyConfig>());
        Assert.NotEqual(true, await run.Named<Lambda.Function>("items-function").Publish.GetValueAsync());
        Assert.Null(await run.Named<Lambda.Permission>("api-invoke").Qualifier.GetValueAsync());
        Assert.EndsWith(":function:items-api-dev-items/invocations", await run.OfType<ApiGateway.Integration>()[0].Uri.GetValueAsync());
    }

    [Fact]
    public async Task A_code_change_moves_the_alias_without_redeploying_the_api()
    {
        // The integrations point at the alias, whose ARN does not change when a new version is published.
        var first = await (await RunAsync(new Dictionary<string, string> { ["snapStart"] = "true", ["functionBuild"] = "readyToRun" })).Single<ApiGateway.Deployment>().Triggers.GetValueAsync();
        var second = await (await RunAsync(new Dictionary<string, string> { ["snapStart"] = "true", ["functionBuild"] = "readyToRun", ["lambdaMemoryMb"] = "1024" })).Single<ApiGateway.Deployment>().Triggers.GetValueAsync();
        Assert.NotEmpty(first);
        Assert.Equal(first, second);
    }
}
