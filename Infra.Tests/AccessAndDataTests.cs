using System.Text.Json;
using ItemsApi.Core.Items;
using ItemsApi.Core.Runtime;
using ItemsApi.DeployTime.Settings;
using Pulumi.Testing;
using Pulumi.Utilities;
using static ItemsApi.Infra.Tests.StackRun;

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
        MockResourceArgs plan = run.Single<ApiGateway.UsagePlan>();
        var apiStage = (System.Collections.Immutable.ImmutableDictionary<string, object>)Assert.Single(List(plan, "apiStages"));
        Assert.Equal(IdOf(run.Single<ApiGateway.RestApi>()), apiStage["apiId"]);
        Assert.Equal("dev", apiStage["stage"]);
        Assert.Equal(7.5, Convert.ToDouble(Map(plan, "throttleSettings")["rateLimit"]));
        Assert.Equal(15, Convert.ToInt32(Map(plan, "throttleSettings")["burstLimit"]));
        Assert.Equal(1234, Convert.ToInt32(Map(plan, "quotaSettings")["limit"]));
        Assert.Equal("WEEK", Map(plan, "quotaSettings")["period"]);

        MockResourceArgs planKey = run.Single<ApiGateway.UsagePlanKey>();
        Assert.Equal(IdOf(run.Single<ApiGateway.ApiKey>()), Text(planKey, "keyId"));
        Assert.Equal(IdOf(plan), Text(planKey, "usagePlanId"));
        Assert.Equal("API_KEY", Text(planKey, "keyType"));
    }

    [Fact]
    public async Task The_api_key_output_is_a_secret_and_is_the_generated_value()
    {
        StackRun run = await RunAsync();
        Assert.True(await run.IsSecretAsync<string>("apiKey"));
        Assert.Equal("generated-by-api-gateway-0123456789", await run.OutputAsync<string>("apiKey"));
        Assert.False(run.Single<ApiGateway.ApiKey>().Inputs.ContainsKey("value"));
    }

    [Fact]
    public async Task A_configured_secret_key_value_is_used_and_stays_secret()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["apiKeyValue"] = "my-own-key-value-0123456789" }, secretKeys: ["apiKeyValue"]);
        Assert.Equal("my-own-key-value-0123456789", await run.OutputAsync<string>("apiKey"));
        Assert.True(await run.IsSecretAsync<string>("apiKey"));
    }

    [Fact]
    public async Task Secret_config_is_read_as_secret_outputs_that_never_become_plain_text()
    {
        string hash = new('b', 64);
        Environment.SetEnvironmentVariable("PULUMI_CONFIG", $$"""{"items-api:apiKeyValue":"my-own-key-value-0123456789","items-api:authorizerTokenHashes":"{{hash}}"}""");
        try
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
        finally
        {
            Environment.SetEnvironmentVariable("PULUMI_CONFIG", null);
        }
    }

    [Fact]
    public async Task The_table_uses_the_functions_key_schema_on_demand_with_point_in_time_recovery_and_deletion_protection()
    {
        StackRun run = await RunAsync();
        MockResourceArgs table = run.Single<DynamoDB.Table>();
        Assert.Equal(ItemsTableSchema.PartitionKey, Text(table, "hashKey"));
        var attribute = (System.Collections.Immutable.ImmutableDictionary<string, object>)Assert.Single(List(table, "attributes"));
        Assert.Equal(ItemsTableSchema.PartitionKey, attribute["name"]);
        Assert.Equal(ItemsTableSchema.PartitionKeyType, attribute["type"]);
        Assert.Equal(ItemsTableSchema.CreateTableRequest("x").KeySchema.Single().AttributeName, Text(table, "hashKey"));
        Assert.Equal("PAY_PER_REQUEST", Text(table, "billingMode"));
        Assert.Equal(true, Map(table, "pointInTimeRecovery")["enabled"]);
        Assert.Equal(true, Value(table, "deletionProtectionEnabled")); // DynamoDB leaves it off unless asked (issue 26, fault 12)
        Assert.Equal(await run.OutputAsync<string>("tableName"), ((System.Collections.Immutable.ImmutableDictionary<string, object>)Map(
            run.Named<Lambda.Function>("items-function"), "environment")["variables"])[FunctionContract.TableNameVariable]);
    }

    [Fact]
    public async Task The_table_expires_idempotency_key_records_by_ttl_and_the_function_gets_the_stages_window()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["idempotencyWindowHours"] = "48" });
        MockResourceArgs table = run.Single<DynamoDB.Table>();
        Assert.Equal(ItemsTableSchema.ExpiresAtAttribute, Map(table, "ttl")["attributeName"]);
        Assert.Equal(true, Map(table, "ttl")["enabled"]);
        var variables = (System.Collections.Immutable.ImmutableDictionary<string, object>)Map(run.Named<Lambda.Function>("items-function"), "environment")["variables"];
        Assert.Equal("48", variables[FunctionContract.IdempotencyWindowHoursVariable]);
    }

    [Fact]
    public async Task Configured_capacities_switch_the_table_to_provisioned_billing()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["tableReadCapacity"] = "5", ["tableWriteCapacity"] = "2" });
        MockResourceArgs table = run.Single<DynamoDB.Table>();
        Assert.Equal("PROVISIONED", Text(table, "billingMode"));
        Assert.Equal(5, Convert.ToInt32(Value(table, "readCapacity")));
        Assert.Equal(2, Convert.ToInt32(Value(table, "writeCapacity")));
    }

    [Fact]
    public async Task The_function_runs_native_on_arm64_by_default_with_the_stage_sizes_and_its_own_log_group()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["lambdaMemoryMb"] = "1024", ["lambdaTimeoutSeconds"] = "12", ["logRetentionDays"] = "30" });
        MockResourceArgs function = run.Named<Lambda.Function>("items-function");
        Assert.Equal("provided.al2023", Text(function, "runtime"));
        Assert.Equal(FunctionContract.ItemsEntryPoint, Text(function, "handler"));
        Assert.Equal(["arm64"], Strings(function, "architectures"));
        Assert.Equal(1024, Convert.ToInt32(Value(function, "memorySize")));
        Assert.Equal(12, Convert.ToInt32(Value(function, "timeout")));
        Assert.Equal("PassThrough", Map(function, "tracingConfig")["mode"]);

        MockResourceArgs logGroup = run.Named<CloudWatch.LogGroup>("items-function-logs");
        Assert.Equal($"/aws/lambda/{Text(function, "name")}", Text(logGroup, "name"));
        Assert.Equal(30, Convert.ToInt32(Value(logGroup, "retentionInDays")));
        Assert.Equal(Text(logGroup, "name"), Map(function, "loggingConfig")["logGroup"]);
        Assert.Equal(Text(function, "name"), await run.OutputAsync<string>("functionName"));
    }

    [Fact]
    public async Task Tracing_is_opt_in_and_uses_the_managed_xray_policy()
    {
        StackRun run = await RunAsync(new Dictionary<string, string> { ["lambdaTracing"] = "true", ["lambdaArchitecture"] = "x86_64" });
        MockResourceArgs function = run.Named<Lambda.Function>("items-function");
        Assert.Equal("Active", Map(function, "tracingConfig")["mode"]);
        Assert.Equal(["x86_64"], Strings(function, "architectures"));
        Assert.Equal("arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess", Text(run.Named<Iam.RolePolicyAttachment>("items-function-xray"), "policyArn"));
        // The stage starts the trace and the function continues it: one trace per request.
        Assert.Equal(true, Value(run.Single<ApiGateway.Stage>(), "xrayTracingEnabled"));
        Assert.Equal(false, Value((await RunAsync()).Single<ApiGateway.Stage>(), "xrayTracingEnabled"));
    }

    [Fact]
    public async Task The_function_role_may_do_only_the_stores_item_actions_on_this_table_and_write_its_own_logs()
    {
        StackRun run = await RunAsync();
        MockResourceArgs policy = run.Named<Iam.RolePolicy>("items-function-policy");
        string tableArn = $"arn:aws:dynamodb:{AwsMocks.Region}:{AwsMocks.Account}:table/{await run.OutputAsync<string>("tableName")}";
        string logGroupArn = $"arn:aws:logs:{AwsMocks.Region}:{AwsMocks.Account}:log-group:/aws/lambda/items-api-dev-items";

        var statements = Statements(Text(policy, "policy"));
        Assert.Equal(DynamoItemStore.RequiredActions.Order(), statements.Single(s => s.Resources.SequenceEqual([tableArn])).Actions.Order());
        Assert.Equal(["logs:CreateLogStream", "logs:PutLogEvents"], statements.Single(s => s.Resources.SequenceEqual([logGroupArn + ":*"])).Actions);
        AssertNoWildcards(statements, [tableArn, logGroupArn + ":*"]);

        MockResourceArgs role = run.Named<Iam.Role>("items-function-role");
        Assert.Contains("lambda.amazonaws.com", Text(role, "assumeRolePolicy"));
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
        foreach (PolicyStatement statement in statements)
        {
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
        MockResourceArgs function = run.Named<Lambda.Function>("items-function");
        Assert.Equal(true, Value(function, "publish"));
        MockResourceArgs alias = run.Single<Lambda.Alias>();
        Assert.Equal("live", Text(alias, "name"));
        Assert.Equal("items-api-dev-items", Text(alias, "functionName"));
        Assert.Equal("7", Text(alias, "functionVersion")); // the version this up published

        string aliasInvokeArn = $"arn:aws:apigateway:{AwsMocks.Region}:lambda:path/2015-03-31/functions/arn:aws:lambda:{AwsMocks.Region}:{AwsMocks.Account}:function:items-api-dev-items:live/invocations";
        Assert.All(run.OfType<ApiGateway.Integration>(), i => Assert.Equal(aliasInvokeArn, Text(i, "uri")));
        Assert.Equal("live", Text(run.Named<Lambda.Permission>("api-invoke"), "qualifier"));

        if (key == "snapStart")
        {
            Assert.Equal("PublishedVersions", Map(function, "snapStart")["applyOn"]);
            Assert.Empty(run.OfType<Lambda.ProvisionedConcurrencyConfig>());
        }
        else
        {
            MockResourceArgs provisioned = run.Single<Lambda.ProvisionedConcurrencyConfig>();
            Assert.Equal("live", Text(provisioned, "qualifier"));
            Assert.Equal(3, Convert.ToInt32(Value(provisioned, "provisionedConcurrentExecutions")));
            Assert.False(function.Inputs.ContainsKey("snapStart"));
        }
    }

    [Fact]
    public async Task By_default_the_api_calls_the_function_itself_and_no_version_is_published()
    {
        StackRun run = await RunAsync();
        Assert.Empty(run.OfType<Lambda.Alias>());
        Assert.Empty(run.OfType<Lambda.ProvisionedConcurrencyConfig>());
        Assert.NotEqual(true, Value(run.Named<Lambda.Function>("items-function"), "publish"));
        Assert.False(run.Named<Lambda.Permission>("api-invoke").Inputs.ContainsKey("qualifier"));
        Assert.EndsWith(":function:items-api-dev-items/invocations", Text(run.OfType<ApiGateway.Integration>()[0], "uri"));
    }

    [Fact]
    public async Task A_code_change_moves_the_alias_without_redeploying_the_api()
    {
        // The integrations point at the alias, whose ARN does not change when a new version is published.
        var first = Map((await RunAsync(new Dictionary<string, string> { ["snapStart"] = "true", ["functionBuild"] = "readyToRun" })).Single<ApiGateway.Deployment>(), "triggers");
        var second = Map((await RunAsync(new Dictionary<string, string> { ["snapStart"] = "true", ["functionBuild"] = "readyToRun", ["lambdaMemoryMb"] = "1024" })).Single<ApiGateway.Deployment>(), "triggers");
        Assert.Equal(first, second);
    }
}
