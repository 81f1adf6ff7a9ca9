using System.Text.Json.Nodes;

namespace ItemsApi.Policies.Tests;

/// <summary>iam/deploy-policy.json, rendered per stage: each deploy role does everything a deploy needs on its own stage, and nothing on another's.</summary>
public sealed class DeployPolicyTests
{
    public static TheoryData<string> Stages => new() { "dev", "prod" };

    [RequiresTheory(typeof(EvaluatorInstalled))]
    [MemberData(nameof(Stages))]
    public void A_deploy_role_can_do_every_action_in_deploy_actions_on_its_own_stage(string stageName)
    {
        Stage stage = Stage.Named(stageName);
        Identity deploy = Identity.Deploy(stage);
        Evaluator.AssertAllAllowed(DeployAction.For(stage).Select(deploy.Asks).ToArray(), $"iam/deploy-actions.json for {stage}");
    }

    /// <summary>Every stage-scoped action of the other stage (its names, its tags, its key, its state): refused.</summary>
    [RequiresTheory(typeof(EvaluatorInstalled))]
    [MemberData(nameof(Stages))]
    public void A_deploy_role_can_do_no_stage_scoped_action_on_the_other_stage(string stageName)
    {
        Stage stage = Stage.Named(stageName);
        Identity deploy = Identity.Deploy(stage);
        Request[] others = DeployAction.For(stage.Other).Where(a => a.StageScoped).Select(deploy.Asks).ToArray();
        Evaluator.AssertAllDenied(others, $"{deploy} on {stage.Other}'s resources");
    }

    /// <summary>
    /// A stack not named as its stage names its topic, alarms and dashboard items-api-&lt;stage&gt;--&lt;stack&gt;
    /// (StageSettings.MonitoringScope): still the stage's own, and still not another stage's.
    /// </summary>
    [RequiresFact(typeof(EvaluatorInstalled))]
    public void A_stack_named_other_than_its_stage_manages_its_monitoring_and_still_not_the_other_stages()
    {
        Identity dev = Identity.Deploy(Stage.Dev);
        string account = $"arn:aws:sns:{IamFiles.Region}:{IamFiles.Account}";
        Evaluator.AssertAllAllowed(
        [
            dev.Asks("sns:CreateTopic", $"{account}:items-api-dev--blue-alarms"),
            dev.Asks("cloudwatch:PutDashboard", $"arn:aws:cloudwatch::{IamFiles.Account}:dashboard/items-api-dev--blue"),
            dev.Asks("cloudwatch:PutMetricAlarm", $"arn:aws:cloudwatch:{IamFiles.Region}:{IamFiles.Account}:alarm:items-api-dev--blue-api-5xx"),
        ], "dev's monitoring in a stack named blue");
        Evaluator.AssertAllDenied(
        [
            dev.Asks("sns:CreateTopic", $"{account}:items-api-prod-dev-alarms"),
            dev.Asks("cloudwatch:PutDashboard", $"arn:aws:cloudwatch::{IamFiles.Account}:dashboard/items-api-prod-dev"),
            dev.Asks("sns:CreateTopic", $"{account}:items-api-devalarms"),
        ], "prod's monitoring, whatever its stack is named");
    }

    public static TheoryData<string> ProdResources => new(ProdResourceRequests.Keys);

    private static readonly Dictionary<string, Func<Identity, Request>> ProdResourceRequests = new()
    {
        ["function code"] = who => who.Asks("lambda:UpdateFunctionCode", Arn.Function(Stage.Prod)),
        ["function alias"] = who => who.Asks("lambda:UpdateAlias", Arn.Function(Stage.Prod)),
        ["function invoke permission"] = who => who.Asks("lambda:AddPermission", Arn.Function(Stage.Prod), Context.Of(("lambda:Principal", "apigateway.amazonaws.com"))),
        ["table"] = who => who.Asks("dynamodb:DeleteTable", Arn.Table(Stage.Prod)),
        ["table backups"] = who => who.Asks("dynamodb:UpdateContinuousBackups", Arn.Table(Stage.Prod)),
        ["function role policy"] = who => who.Asks("iam:PutRolePolicy", Arn.FunctionRole(Stage.Prod), Context.Boundary(Stage.Prod)),
        ["function role deletion"] = who => who.Asks("iam:DeleteRole", Arn.FunctionRole(Stage.Prod), Context.Boundary(Stage.Prod)),
        ["function role, passed to Lambda"] = who => who.Asks("iam:PassRole", Arn.FunctionRole(Stage.Prod), Context.PassedTo("lambda.amazonaws.com")),
        ["function log group"] = who => who.Asks("logs:DeleteLogGroup", Arn.FunctionLogGroup(Stage.Prod)),
        ["access log group"] = who => who.Asks("logs:PutRetentionPolicy", Arn.AccessLogGroup(Stage.Prod)),
        ["execution log group"] = who => who.Asks("logs:DeleteLogGroup", Arn.ExecutionLogGroup(Stage.Prod)),
        ["metric filter"] = who => who.Asks("logs:PutMetricFilter", Arn.AccessLogGroup(Stage.Prod)),
        ["alarm"] = who => who.Asks("cloudwatch:DeleteAlarms", Arn.Alarm(Stage.Prod)),
        ["alarm topic"] = who => who.Asks("sns:Subscribe", Arn.Topic(Stage.Prod)),
        ["dashboard"] = who => who.Asks("cloudwatch:PutDashboard", Arn.Dashboard(Stage.Prod)),
        ["web ACL"] = who => who.Asks("wafv2:UpdateWebACL", Arn.WebAcl(Stage.Prod)),
        ["web ACL association"] = who => who.Asks("wafv2:DisassociateWebACL", $"{Arn.RestApi}/stages/prod"),
        ["REST API"] = who => who.Asks("apigateway:PATCH", Arn.RestApi, Context.ResourceTag(Stage.Prod)),
        ["REST API's methods"] = who => who.Asks("apigateway:DELETE", $"{Arn.RestApi}/resources/r2s3t4/methods/GET", Context.ResourceTag(Stage.Prod)),
        ["stage"] = who => who.Asks("apigateway:PATCH", $"{Arn.RestApi}/stages/prod", Context.ResourceTag(Stage.Prod)),
        ["stage's authorizer cache"] = who => who.Asks("apigateway:DELETE", $"{Arn.RestApi}/stages/prod/cache/authorizers", Context.ResourceTag(Stage.Prod)),
        ["API key value"] = who => who.Asks("apigateway:GET", Arn.ApiKey, Context.ResourceTag(Stage.Prod)),
        ["usage plan"] = who => who.Asks("apigateway:PATCH", $"arn:aws:apigateway:{IamFiles.Region}::/usageplans/p1q2r3", Context.ResourceTag(Stage.Prod)),
        ["a REST API tagged as prod's at creation"] = who => who.Asks("apigateway:POST", $"arn:aws:apigateway:{IamFiles.Region}::/restapis", Context.RequestTag(Stage.Prod)),
        ["custom domain"] = who => who.Asks("apigateway:DELETE", $"arn:aws:apigateway:{IamFiles.Region}::/domainnames/{Stage.Prod.CustomDomain}", Context.ResourceTag(Stage.Prod)),
        ["certificate"] = who => who.Asks("acm:DeleteCertificate", Arn.Certificate, Context.ResourceTag(Stage.Prod)),
        ["certificate, retagged as dev's"] = who => who.Asks("acm:AddTagsToCertificate", Arn.Certificate, Context.ResourceTag(Stage.Prod).With(Context.RequestTag(Stage.Dev))),
        ["DNS records"] = who => who.Asks("route53:ChangeResourceRecordSets", Arn.HostedZone, Context.List("route53:ChangeResourceRecordSetsNormalizedRecordNames", Stage.Prod.CustomDomain)),
        ["secrets key"] = who => who.Asks("kms:Decrypt", Arn.SecretsKey, Context.KeyAliases(IamFiles.SecretsAlias(Stage.Prod))),
        ["stack state"] = who => who.Asks("s3:GetObject", Arn.StackFile(Stage.Prod)),
        ["stack state, overwritten"] = who => who.Asks("s3:PutObject", Arn.StackFile(Stage.Prod)),
        ["stack lock"] = who => who.Asks("s3:PutObject", Arn.StackLock(Stage.Prod)),
        ["stack history"] = who => who.Asks("s3:GetObject", Arn.StackHistory(Stage.Prod)),
        ["stack listing"] = who => who.Asks("s3:ListBucket", Arn.StateBucket, Context.Of(("s3:prefix", ".pulumi/stacks/items-api/prod.json"))),
    };

    [RequiresTheory(typeof(EvaluatorInstalled))]
    [MemberData(nameof(ProdResources))]
    public void Devs_deploy_role_cannot_touch_prods(string resource)
    {
        Decision decision = Evaluator.Evaluate(ProdResourceRequests[resource](Identity.Deploy(Stage.Dev)));
        Assert.Null(decision.Error);
        Assert.False(decision.IsAllowed, decision.ToString());
    }

    /// <summary>The same requests made by prod's role are allowed, so each one above is refused for being prod's, not for being malformed.</summary>
    [RequiresFact(typeof(EvaluatorInstalled))]
    public void Prods_deploy_role_can_do_each_of_those()
    {
        Identity prod = Identity.Deploy(Stage.Prod);
        Evaluator.AssertAllAllowed(ProdResourceRequests.Where(r => r.Key != "certificate, retagged as dev's").Select(r => r.Value(prod)).ToArray(),
            "prod's role on prod's resources");
    }

    /// <summary>A deploy needs no data of its stage: it can read neither items, nor logs, nor WAF samples, nor another stage's state.</summary>
    [RequiresTheory(typeof(EvaluatorInstalled))]
    [MemberData(nameof(Stages))]
    public void A_deploy_role_cannot_read_its_stages_data(string stageName)
    {
        Stage stage = Stage.Named(stageName);
        Identity deploy = Identity.Deploy(stage);
        Evaluator.AssertAllDenied(
        [
            .. new[] { "dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:PartiQLSelect", "dynamodb:ExportTableToPointInTime", "dynamodb:PutItem" }
                .Select(action => deploy.Asks(action, Arn.Table(stage))),
            deploy.Asks("logs:GetLogEvents", Arn.LogStream(Arn.FunctionLogGroup(stage))),
            .. new[] { "logs:FilterLogEvents", "logs:StartQuery", "logs:StartLiveTail", "logs:GetLogRecord" }.Select(action => deploy.Asks(action, Arn.FunctionLogGroup(stage))),
            deploy.Asks("logs:FilterLogEvents", Arn.AccessLogGroup(stage)),
            deploy.Asks("wafv2:GetSampledRequests", Arn.WebAcl(stage)),
            deploy.Asks("lambda:InvokeFunction", Arn.Function(stage)),
            deploy.Asks("s3:GetObject", $"arn:aws:s3:::{IamFiles.StateBucket}/.pulumi/stacks/items-api/{stage.Name}-x.json"),
        ], $"{deploy} reading {stage}'s data");
    }

    /// <summary>A stage whose name is another's plus a suffix (dev2 beside dev) is not dev's; one with a dash (dev-x) is, a known limit.</summary>
    [RequiresFact(typeof(EvaluatorInstalled))]
    public void Another_stage_whose_name_starts_like_dev_is_not_devs_unless_it_adds_a_dash()
    {
        Identity dev = Identity.Deploy(Stage.Dev);
        Stage dev2 = Stage.Named("dev2");
        Evaluator.AssertAllDenied(DeployAction.For(dev2).Where(a => a.StageScoped).Select(dev.Asks).ToArray(), "dev's role on dev2's resources");

        // items-api-dev-* also matches items-api-dev-x-items: iam/README.md says not to name a stage another's name plus "-".
        Assert.True(Evaluator.Evaluate(dev.Asks("lambda:UpdateFunctionCode", Arn.Function(Stage.Named("dev-x")))).IsAllowed);
    }
}

internal static class JsonObjectExtensions
{
    /// <summary>This context with the other's keys added.</summary>
    public static JsonObject With(this JsonObject context, JsonObject other)
    {
        foreach ((string key, JsonNode? value) in other) context[key] = value?.DeepClone();
        return context;
    }
}
