using System.Text.Json.Nodes;

namespace ItemsApi.Policies.Tests;

/// <summary>iam/preview-policy.json: exactly the reads `pulumi preview` of dev makes, and an explicit Deny of every data-plane read.</summary>
public sealed class PreviewPolicyTests
{
    [RequiresFact(typeof(EvaluatorInstalled))]
    public void The_preview_role_can_do_each_read_a_preview_of_dev_makes()
    {
        Identity preview = Identity.Preview();
        DeployAction[] reads = DeployAction.For(Stage.Dev).Where(a => a.Preview).ToArray();
        Assert.Contains(reads, a => a.Action == "sts:GetCallerIdentity");
        Assert.Contains(reads, a => a.Action == "iam:ListRoles");
        Assert.Contains(reads, a => a.Action == "route53:ListHostedZones");
        Assert.Contains(reads, a => a.Action == "kms:Decrypt");
        Evaluator.AssertAllAllowed(reads.Select(preview.Asks).ToArray(), "the reads of a preview");
    }

    /// <summary>Nothing else a deploy does, on dev or on prod: the preview role changes nothing and reads nothing of prod.</summary>
    [RequiresFact(typeof(EvaluatorInstalled))]
    public void The_preview_role_can_do_nothing_else_a_deploy_does()
    {
        Identity preview = Identity.Preview();
        var reads = DeployAction.For(Stage.Dev).Where(a => a.Preview).Select(a => (a.Action, a.Resource)).ToHashSet();
        Request[] others = DeployAction.For(Stage.Dev).Concat(DeployAction.For(Stage.Prod))
            .Where(a => !reads.Contains((a.Action, a.Resource)))
            .Select(preview.Asks).ToArray();
        Evaluator.AssertAllDenied(others, "the preview role doing what only a deploy does");
    }

    public static TheoryData<string> DataReads => new(DataReadRequests.Keys);

    private static readonly Dictionary<string, Func<Identity, Request>> DataReadRequests = new()
    {
        ["an API key with its value"] = who => who.Asks("apigateway:GET", Arn.ApiKey),
        ["every API key"] = who => who.Asks("apigateway:GET", $"arn:aws:apigateway:{IamFiles.Region}::/apikeys"),
        ["a usage plan's keys"] = who => who.Asks("apigateway:GET", $"arn:aws:apigateway:{IamFiles.Region}::/usageplans/p1q2r3/keys"),
        ["an item"] = who => who.Asks("dynamodb:GetItem", Arn.Table(Stage.Dev)),
        ["items, scanned"] = who => who.Asks("dynamodb:Scan", Arn.Table(Stage.Dev)),
        ["items, queried"] = who => who.Asks("dynamodb:Query", Arn.Table(Stage.Prod)),
        ["items, in a batch"] = who => who.Asks("dynamodb:BatchGetItem", Arn.Table(Stage.Dev)),
        ["items, by PartiQL"] = who => who.Asks("dynamodb:PartiQLSelect", Arn.Table(Stage.Dev)),
        ["the table, exported"] = who => who.Asks("dynamodb:ExportTableToPointInTime", Arn.Table(Stage.Dev)),
        ["the table's stream"] = who => who.Asks("dynamodb:GetRecords", $"{Arn.Table(Stage.Dev)}/stream/2026-01-01T00:00:00.000"),
        ["function code"] = who => who.Asks("lambda:GetFunction", Arn.Function(Stage.Dev)),
        ["function invocation"] = who => who.Asks("lambda:InvokeFunction", Arn.Function(Stage.Dev)),
        ["log events"] = who => who.Asks("logs:GetLogEvents", Arn.LogStream(Arn.FunctionLogGroup(Stage.Dev))),
        ["filtered log events"] = who => who.Asks("logs:FilterLogEvents", Arn.AccessLogGroup(Stage.Dev)),
        ["a Logs Insights query"] = who => who.Asks("logs:StartQuery", Arn.FunctionLogGroup(Stage.Dev)),
        ["a query's results"] = who => who.Asks("logs:GetQueryResults", Arn.FunctionLogGroup(Stage.Dev)),
        ["a log record"] = who => who.Asks("logs:GetLogRecord", Arn.ExecutionLogGroup(Stage.Dev)),
        ["a live tail"] = who => who.Asks("logs:StartLiveTail", Arn.FunctionLogGroup(Stage.Dev)),
        ["WAF sampled requests"] = who => who.Asks("wafv2:GetSampledRequests", Arn.WebAcl(Stage.Dev)),
        ["prod's state"] = who => who.Asks("s3:GetObject", Arn.StackFile(Stage.Prod)),
        ["prod's state history"] = who => who.Asks("s3:GetObject", Arn.StackHistory(Stage.Prod)),
        ["dev's state history"] = who => who.Asks("s3:GetObject", Arn.StackHistory(Stage.Dev)),
        ["prod's secrets key"] = who => who.Asks("kms:Decrypt", Arn.SecretsKey, Context.KeyAliases(IamFiles.SecretsAlias(Stage.Prod))),
        ["a key without an alias"] = who => who.Asks("kms:Decrypt", Arn.SecretsKey),
    };

    /// <summary>
    /// Refused by an explicit Deny, so they stay refused even beside a policy that allows everything (AWS's ReadOnlyAccess,
    /// attached by mistake, would grant most of them).
    /// </summary>
    [RequiresTheory(typeof(EvaluatorInstalled))]
    [MemberData(nameof(DataReads))]
    public void The_preview_role_cannot_read_data_even_beside_a_policy_that_allows_everything(string read)
    {
        var allowEverything = JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""")!.AsObject();
        Decision decision = Evaluator.Evaluate(DataReadRequests[read](Identity.Preview().With(allowEverything)));
        Assert.Equal(Decision.ExplicitlyDenied, decision.Result);
    }

    /// <summary>Dev's key and dev's state stay readable beside that policy too: the denies are exactly the data, not the preview's reads.</summary>
    [RequiresFact(typeof(EvaluatorInstalled))]
    public void The_denies_leave_the_previews_own_reads_alone()
    {
        var allowEverything = JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""")!.AsObject();
        Identity preview = Identity.Preview().With(allowEverything);
        Evaluator.AssertAllAllowed(DeployAction.For(Stage.Dev).Where(a => a.Preview).Select(preview.Asks).ToArray(), "the preview's reads beside allow-everything");
    }
}
