using System.Text.Json.Nodes;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.Policies.Tests;

/// <summary>A role of this project with the policies iam/ gives it, asking to do things.</summary>
public sealed record Identity(string RoleName, IReadOnlyList<JsonObject> Policies, IReadOnlyList<JsonObject> Boundaries)
{
    /// <summary>github-deploy-items-api-&lt;stage&gt;: iam/deploy-policy.json rendered for its stage.</summary>
    public static Identity Deploy(Stage stage) => new(IamFiles.DeployRoleName(stage), [IamFiles.Policy("deploy-policy.json", stage)], []);

    /// <summary>github-preview-items-api: iam/preview-policy.json rendered for dev, the stage pull requests preview.</summary>
    public static Identity Preview() => new(IamFiles.PreviewRoleName, [IamFiles.Policy("preview-policy.json", Stage.Dev)], []);

    /// <summary>A function role of the stage: the given inline policy, under iam/permissions-boundary.json.</summary>
    public static Identity Function(Stage stage, JsonObject inlinePolicy) =>
        new($"items-api-{stage.Name}-items", [inlinePolicy], [IamFiles.Policy("permissions-boundary.json", stage)]);

    /// <summary>This identity with one more policy attached (e.g. to show that an explicit Deny still wins).</summary>
    public Identity With(JsonObject policy) => this with { Policies = [.. Policies, policy] };

    /// <summary>
    /// The request; a KMS key is also governed by its key policy, so KMS requests carry iam/pulumi-secrets-key-policy.json
    /// (AWS's default key policy: the account's IAM policies decide).
    /// </summary>
    public Request Asks(string action, string resource, JsonObject? context = null) =>
        new(IamFiles.RoleArn(RoleName), action, resource, Policies)
        {
            PermissionBoundaries = Boundaries,
            Context = context ?? [],
            ResourcePolicy = action.StartsWith("kms:", StringComparison.Ordinal) ? IamFiles.Policy("pulumi-secrets-key-policy.json", Stage.Dev) : null,
        };

    public Request Asks(DeployAction action) => Asks(action.Action, action.Resource, action.Context.DeepClone().AsObject());

    public override string ToString() => RoleName;
}

/// <summary>Request context values.</summary>
public static class Context
{
    public static JsonObject Of(params (string Key, string Value)[] values)
    {
        var context = new JsonObject();
        foreach ((string key, string value) in values) context[key] = value;
        return context;
    }

    public static JsonObject List(string key, params string[] values) => new() { [key] = new JsonArray(values.Select(v => (JsonNode)v).ToArray()) };

    // The tag the program writes on every taggable resource of a stage (StageSettings.StageTagKey).
    public static JsonObject ResourceTag(Stage stage) => Of(($"aws:ResourceTag/{StageSettings.StageTagKey}", stage.Name));
    public static JsonObject RequestTag(Stage stage) => Of(($"aws:RequestTag/{StageSettings.StageTagKey}", stage.Name));
    public static JsonObject Boundary(Stage stage) => Of(("iam:PermissionsBoundary", IamFiles.BoundaryArn(stage)));
    public static JsonObject PassedTo(string service) => Of(("iam:PassedToService", service));
    public static JsonObject KeyAliases(params string[] aliases) => List("kms:ResourceAliases", aliases);
}

/// <summary>Sample resource ARNs of a stage, as the program names them (see iam/README.md, "Names").</summary>
public static class Arn
{
    private const string A = IamFiles.Account;
    private const string R = IamFiles.Region;
    public const string ApiId = "a1b2c3d4e5";

    public static string Function(Stage s) => $"arn:aws:lambda:{R}:{A}:function:items-api-{s.Name}-items";
    public static string Table(Stage s) => $"arn:aws:dynamodb:{R}:{A}:table/items-api-{s.Name}-items";
    public static string FunctionRole(Stage s) => IamFiles.RoleArn($"items-api-{s.Name}-items");
    public static string FunctionLogGroup(Stage s) => $"arn:aws:logs:{R}:{A}:log-group:/aws/lambda/items-api-{s.Name}-items";
    public static string AccessLogGroup(Stage s) => $"arn:aws:logs:{R}:{A}:log-group:/aws/apigateway/items-api-{s.Name}/access";
    public static string ExecutionLogGroup(Stage s) => $"arn:aws:logs:{R}:{A}:log-group:API-Gateway-Execution-Logs_{ApiId}/{s.Name}";
    public static string LogStream(string logGroup) => $"{logGroup}:log-stream:2026/01/01/[$LATEST]0123456789abcdef";
    public static string Alarm(Stage s) => $"arn:aws:cloudwatch:{R}:{A}:alarm:items-api-{s.Name}-5xx";
    public static string Topic(Stage s) => $"arn:aws:sns:{R}:{A}:items-api-{s.Name}-alarms";
    public static string Dashboard(Stage s) => $"arn:aws:cloudwatch::{A}:dashboard/items-api-{s.Name}";
    public static string WebAcl(Stage s) => $"arn:aws:wafv2:{R}:{A}:regional/webacl/items-api-{s.Name}-ceiling/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    public static string RestApi => $"arn:aws:apigateway:{R}::/restapis/{ApiId}";
    public static string ApiKey => $"arn:aws:apigateway:{R}::/apikeys/k1l2m3n4o5";
    public static string Certificate => $"arn:aws:acm:{R}:{A}:certificate/12345678-90ab-cdef-1234-567890abcdef";
    public static string SecretsKey => $"arn:aws:kms:{R}:{A}:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    public const string HostedZone = "arn:aws:route53:::hostedzone/Z0123456789EXAMPLE";
    public static string StackFile(Stage s) => $"arn:aws:s3:::{IamFiles.StateBucket}/.pulumi/stacks/items-api/{s.Name}.json";
    public static string StackLock(Stage s) => $"arn:aws:s3:::{IamFiles.StateBucket}/.pulumi/locks/organization/items-api/{s.Name}/0d0a3f9e.json";
    public static string StackHistory(Stage s) => $"arn:aws:s3:::{IamFiles.StateBucket}/.pulumi/history/items-api/{s.Name}/{s.Name}-1.history.json";
    public const string StateBucket = "arn:aws:s3:::" + IamFiles.StateBucket;
}
