using System.Collections.Immutable;
using System.Reflection;
using ItemsApi.Core.Auth;
using ItemsApi.DeployTime.Settings;
using Pulumi;
using Pulumi.Testing;
using static ItemsApi.Infra.Tests.StackRun;

namespace ItemsApi.Infra.Tests;

/// <summary>
/// What lets one deploy policy per stage reach that stage and nothing else (iam/deploy-policy.json): every name the
/// stack gives starts with items-api-&lt;stage&gt;, every taggable resource carries the stage tag (API Gateway and
/// ACM are scoped by it), and every role the stack creates carries the stage's permissions boundary.
/// </summary>
public class StageScopeTests
{
    /// <summary>Every optional part on: authorizer, alias, tracing, logs, monitoring with e-mail, WAF, custom domain, key rotation.</summary>
    internal static Dictionary<string, string> Everything(string stage) => new()
    {
        ["stageName"] = stage,
        ["authMode"] = "apiKey+authorizer", ["authorizerTokenHashes"] = BearerTokenAuthorizer.HashToken("a-token"),
        ["provisionedConcurrency"] = "1", ["lambdaTracing"] = "true", ["executionLogLevel"] = "INFO",
        ["monitoring"] = "true", ["alarmEmail"] = "ops@example.com", ["wafRateLimit"] = "100",
        ["customDomainName"] = "api.example.com", ["hostedZoneName"] = "example.com", ["nextApiKey"] = "true",
        ["rolePermissionsBoundary"] = $"items-api-{stage}-boundary",
        // Several origins: the CORS preflight's MOCK integration with its per-origin mapping template.
        ["corsAllowedOrigins"] = """["https://app.example.com","http://localhost:5173"]""",
    };

    internal static Task<StackRun> RunEverythingAsync(string stage, IReadOnlyDictionary<string, string>? overrides = null)
    {
        Dictionary<string, string> config = Everything(stage);
        foreach ((string key, string value) in overrides ?? new Dictionary<string, string>()) config[key] = value;
        return RunAsync(config, stage, secretKeys: ["authorizerTokenHashes"]);
    }

    /// <summary>
    /// The one resource every stage shares: the region's API Gateway logging role, which an administrator creates. A role
    /// may have no name input (Pulumi names it); a misspelt key here would match no role, and the shared one would then
    /// fail the checks below, so the lookup cannot hide anything.
    /// </summary>
    private static bool IsSharedLoggingRole(MockResourceArgs resource) =>
        resource.Type == TypeToken<Pulumi.Aws.Iam.Role>() && resource.Inputs.GetValueOrDefault("name") is Components.ApiGatewayLoggingRole.RoleName;

    private static bool IsSharedLoggingRole(Iam.Role role) => role.GetResourceName() == "apigateway-logging-role";

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task Every_taggable_resource_carries_the_stage_tag(string stage)
    {
        // Raw engine inputs: every resource of every type that takes tags, whatever its class.
        foreach (StackRun run in new[] { await RunEverythingAsync(stage), await RunAsync(new Dictionary<string, string> { ["apiImplementation"] = "resources" }, stage) })
        {
            IReadOnlyList<MockResourceArgs> taggable = run.Registered.Where(r => AcceptsTags(r.Type!) && !IsSharedLoggingRole(r)).ToList();
            Assert.NotEmpty(taggable);
            Assert.All(taggable, resource =>
            {
                Assert.Equal(stage, Entry((ImmutableDictionary<string, object>)Input(resource, "tags"), StageSettings.StageTagKey));
            });
        }
    }

    [Fact]
    public async Task Taggable_resources_include_what_the_deploy_policy_scopes_by_tag()
    {
        // API Gateway and ACM have no names in their ARNs: if these lost their tag, the scoped policy would refuse them.
        StackRun run = await RunEverythingAsync("dev");
        async Task AssertTaggedAsync<T>(Func<T, Output<ImmutableDictionary<string, string>>> tags) where T : Pulumi.Resource
        {
            Assert.NotEmpty(run.OfType<T>());
            foreach (T resource in run.OfType<T>()) Assert.Equal("dev", (await tags(resource).GetValueAsync())[StageSettings.StageTagKey]);
        }
        await AssertTaggedAsync((ApiGateway.RestApi r) => r.Tags);
        await AssertTaggedAsync((ApiGateway.Stage r) => r.Tags);
        await AssertTaggedAsync((ApiGateway.ApiKey r) => r.Tags);
        await AssertTaggedAsync((ApiGateway.UsagePlan r) => r.Tags);
        await AssertTaggedAsync((ApiGateway.DomainName r) => r.Tags);
        await AssertTaggedAsync((Acm.Certificate r) => r.Tags);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    [InlineData("dev-x")]
    public async Task Every_name_the_stack_gives_starts_with_the_stage_prefix(string stage)
    {
        StackRun run = await RunEverythingAsync(stage);
        string prefix = $"items-api-{stage}";
        var named = new List<string>();
        // Raw engine inputs: the name of every resource of many classes, each read by a key that must be there.
        foreach (MockResourceArgs resource in run.Registered.Where(r => !IsSharedLoggingRole(r)))
        {
            string? name = resource.Type switch
            {
                "aws:lambda/function:Function" or "aws:iam/role:Role" or "aws:iam/rolePolicy:RolePolicy" or "aws:dynamodb/table:Table"
                    or "aws:sns/topic:Topic" or "aws:cloudwatch/metricAlarm:MetricAlarm" or "aws:wafv2/webAcl:WebAcl"
                    or "aws:apigateway/restApi:RestApi" or "aws:apigateway/apiKey:ApiKey" or "aws:apigateway/usagePlan:UsagePlan"
                    or "aws:cloudwatch/logMetricFilter:LogMetricFilter" => Text(resource, "name"),
                "aws:cloudwatch/dashboard:Dashboard" => Text(resource, "dashboardName"),
                "aws:cloudwatch/logGroup:LogGroup" => Text(resource, "name") switch
                {
                    var lambda when lambda.StartsWith("/aws/lambda/", StringComparison.Ordinal) => lambda["/aws/lambda/".Length..],
                    var access when access.StartsWith("/aws/apigateway/", StringComparison.Ordinal) => access["/aws/apigateway/".Length..],
                    // Named by AWS: API-Gateway-Execution-Logs_<api-id>/<stage>; the policy matches the stage at its end.
                    var execution => Assert.IsType<string>(execution.EndsWith($"/{stage}", StringComparison.Ordinal) ? prefix : execution),
                },
                _ => null,
            };
            if (name is null) continue;
            named.Add(name);
            Assert.True(name == prefix || name.StartsWith(prefix + "-", StringComparison.Ordinal) || name.StartsWith(prefix + "/", StringComparison.Ordinal),
                $"{resource.Type} {resource.Name} is named '{name}', outside {prefix}-*");
        }
        Assert.Contains($"{prefix}-items", named); // the table and the function
        Assert.Contains($"{prefix}-authorizer", named);
    }

    [Fact]
    public async Task The_functions_roles_carry_the_stages_permissions_boundary_by_name_or_arn()
    {
        static Task<string?[]> BoundariesAsync(StackRun run) =>
            Task.WhenAll(run.OfType<Iam.Role>().Where(r => !IsSharedLoggingRole(r)).Select(role => role.PermissionsBoundary.GetValueAsync()));
        string boundary = $"arn:aws:iam::{AwsMocks.Account}:policy/items-api-dev-boundary";
        Assert.Equal(new string?[] { boundary, boundary }, await BoundariesAsync(await RunEverythingAsync("dev")));

        const string orgBoundary = "arn:aws:iam::210987654321:policy/org/workload-boundary";
        StackRun byArn = await RunEverythingAsync("dev", new Dictionary<string, string> { ["rolePermissionsBoundary"] = orgBoundary });
        Assert.Equal(new string?[] { orgBoundary, orgBoundary }, await BoundariesAsync(byArn));

        StackRun without = await RunAsync();
        Assert.NotEmpty(without.OfType<Iam.Role>());
        Assert.All(await Task.WhenAll(without.OfType<Iam.Role>().Select(role => role.PermissionsBoundary.GetValueAsync())), Assert.Null);
    }

    [Fact]
    public void A_table_keeps_the_name_it_was_created_with_so_scoped_names_never_replace_an_existing_table() =>
        // Before names were scoped, the table got a generated name (items-<suffix>); a new name would replace it, data and all.
        Assert.Contains("name", Components.ItemsTable.TableOptions(null, StageSettings.Load(_ => null, "dev")).IgnoreChanges);

    [Fact]
    public async Task A_secret_key_set_in_plain_text_stops_the_program_before_anything_is_declared()
    {
        var mocks = new AwsMocks();
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            RunAsync(new Dictionary<string, string> { ["apiKeyValue"] = "my-own-key-value-0123456789" }, mocks: mocks));
        string message = (error.InnerException ?? error).Message;
        Assert.Contains("items-api:apiKeyValue = (secret) is not valid; expected an encrypted value: it is in plain text in Pulumi.dev.yaml. " +
            "Set it with `pulumi config set --secret apiKeyValue <value>`", message);
        Assert.DoesNotContain("my-own-key-value", message);
        Assert.Empty(mocks.Registered);

        // The same value set with --secret is accepted.
        StackRun run = await RunAsync(new Dictionary<string, string> { ["apiKeyValue"] = "my-own-key-value-0123456789" }, secretKeys: ["apiKeyValue"]);
        Assert.Single(run.OfType<ApiGateway.ApiKey>());
    }

    /// <summary>Whether a resource type's arguments have a Tags property, from the provider SDK's own classes.</summary>
    private static bool AcceptsTags(string typeToken) => TaggableTypes.Value.Contains(typeToken);

    private static readonly Lazy<ImmutableHashSet<string>> TaggableTypes = new(() =>
        typeof(Pulumi.Aws.DynamoDB.Table).Assembly.GetTypes()
            .Where(type => type.GetCustomAttribute<ResourceTypeAttribute>() is not null && typeof(CustomResource).IsAssignableFrom(type))
            .Where(type => type.Assembly.GetType($"{type.FullName}Args")?.GetProperty("Tags") is not null)
            .Select(type => type.GetCustomAttribute<ResourceTypeAttribute>()!.Type)
            .ToImmutableHashSet());
}

/// <summary>
/// iam/deploy-actions.json lists, per resource type and invoke, every IAM action a deploy needs; Policies.Tests evaluates
/// the deploy and preview policies against it. These keep it complete: a resource type or lookup the program starts
/// using without listing it would deploy with permissions nobody evaluated, or fail on AccessDenied.
/// </summary>
public class DeployActionsListTests
{
    private static System.Text.Json.JsonElement DeployActions() =>
        System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(ItemsApi.DeployTime.Project.ProjectFiles.FindRoot(), "iam", "deploy-actions.json"))).RootElement;

    /// <summary>Runs that together declare every resource type and call every invoke the program can.</summary>
    private static async Task<IReadOnlyList<StackRun>> EveryVariantAsync()
    {
        var mocks = new AwsMocks();
        mocks.ExistingRoles.Add(Components.ApiGatewayLoggingRole.RoleName);
        return
        [
            await StageScopeTests.RunEverythingAsync("dev"),
            // The component: no alias, no 429 alarm (it writes no access log), and no boundary (it cannot give its authorizer role one).
            await StageScopeTests.RunEverythingAsync("prod", new Dictionary<string, string>
            {
                ["apiImplementation"] = "component", ["provisionedConcurrency"] = "0", ["alarm429Percent"] = "0", ["rolePermissionsBoundary"] = "",
            }),
            await RunAsync(),
            await RunAsync(mocks: mocks),
        ];
    }

    [Fact]
    public async Task Every_resource_type_the_program_declares_has_its_actions_listed()
    {
        HashSet<string> listed = DeployActions().GetProperty("resourceTypes").EnumerateObject().Select(p => p.Name).ToHashSet();
        string[] declared = (await EveryVariantAsync()).SelectMany(run => run.Registered).Select(r => r.Type!).Distinct().Order().ToArray();
        Assert.True(declared.Length > 30, $"only {declared.Length} resource types declared");
        Assert.All(declared, type => Assert.True(listed.Contains(type), $"{type} is declared by the program but not listed in iam/deploy-actions.json"));
    }

    [Fact]
    public async Task Every_lookup_the_program_makes_has_its_actions_listed()
    {
        HashSet<string> listed = DeployActions().GetProperty("invokes").EnumerateObject().Select(p => p.Name).ToHashSet();
        string[] called = (await EveryVariantAsync()).SelectMany(run => run.Calls).Distinct().Order().ToArray();
        Assert.Contains("aws:iam/getRoles:getRoles", called);
        Assert.All(called, token => Assert.True(listed.Contains(token), $"{token} is called by the program but not listed in iam/deploy-actions.json"));
    }
}
