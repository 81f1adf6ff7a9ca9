using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ItemsApi.Policies.Tests;

/// <summary>The files of iam/ as documents: they render, they fit IAM's size limit, and what is granted on "*" is only what cannot be scoped.</summary>
public sealed partial class PolicyDocumentTests
{
    [Fact]
    public void Iam_holds_the_files_the_readme_describes()
    {
        Assert.Equal(
        [
            "apigateway-logging-role-trust.json", "deploy-actions.json", "deploy-policy.json", "github-oidc-trust-deploy.json",
            "github-oidc-trust-preview.json", "permissions-boundary.json", "preview-policy.json", "pulumi-secrets-key-policy.json",
        ], IamFiles.Templates);
        string readme = IamFiles.Text("README.md");
        Assert.All(IamFiles.Templates, file => Assert.Contains($"`{file}`", readme));
    }

    [Fact]
    public void Every_template_renders_to_json_with_no_placeholder_left()
    {
        foreach (string file in IamFiles.Templates)
            foreach (Stage stage in new[] { Stage.Dev, Stage.Prod })
            {
                string rendered = IamFiles.Render(IamFiles.Text(file), stage);
                Assert.DoesNotMatch(Placeholder(), rendered);
                JsonObject document = JsonNode.Parse(rendered)!.AsObject();
                if (file != "deploy-actions.json") Assert.Equal("2012-10-17", document["Version"]!.GetValue<string>());
            }
    }

    /// <summary>
    /// The deploy and preview policies are put on their roles as inline policies, whose total IAM limits to 10,240
    /// characters, white space not counted ("IAM and AWS STS quotas"). Long names push the rendered policy up: this
    /// holds for a stage name of 20 characters with a 63-character bucket name and a long region, as iam/README.md says.
    /// </summary>
    [Theory]
    [InlineData("dev", "items-api-state-111122223333", "eu-west-1")]
    [InlineData("prod", "items-api-state-111122223333", "eu-west-1")]
    [InlineData("staging-eu-customer1", "a-state-bucket-name-of-the-longest-length-s3-allows-63-characte", "ap-southeast-2")]
    public void The_deploy_and_preview_policies_fit_a_roles_inline_policy_limit(string stageName, string bucket, string region)
    {
        Stage stage = new(stageName, $"{stageName}.items.a-longer-domain-name.example.com");
        foreach (string file in new[] { "deploy-policy.json", "preview-policy.json" })
        {
            int size = Whitespace().Replace(IamFiles.Render(IamFiles.Text(file), stage, stateBucket: bucket, region: region), "").Length;
            Assert.True(size <= 10_240, $"{file} for {stageName}: {size} characters, over IAM's 10,240 for a role's inline policies");
        }
    }

    /// <summary>
    /// What an Allow may grant on any resource ("*"): only actions whose API takes no resource ARN, or whose ARN this stack
    /// cannot know (iam/README.md, "What cannot be scoped"). No statement grants a whole service.
    /// </summary>
    [Fact]
    public void Only_actions_that_cannot_be_scoped_are_allowed_on_any_resource()
    {
        string[] unscopable =
        [
            "sts:GetCallerIdentity", "iam:ListRoles", "logs:DescribeLogGroups", "logs:PutQueryDefinition", "logs:DeleteQueryDefinition",
            "logs:DescribeQueryDefinitions", "route53:ListHostedZones", "acm:RequestCertificate", "acm:AddTagsToCertificate", "lambda:GetAccountSettings",
            "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries",
        ];
        foreach (string file in new[] { "deploy-policy.json", "preview-policy.json", "permissions-boundary.json" })
            foreach (JsonObject statement in IamFiles.Statements(IamFiles.Policy(file, Stage.Dev)).Where(s => s["Effect"]!.GetValue<string>() == "Allow"))
            {
                IReadOnlyList<string> actions = IamFiles.Strings(statement["Action"]);
                Assert.Null(statement["NotAction"]);
                Assert.Null(statement["NotResource"]);
                Assert.All(actions, action => Assert.DoesNotMatch(@"^(\*|[a-z0-9-]+:\*)$", action));
                if (IamFiles.Strings(statement["Resource"]).Contains("*"))
                    Assert.All(actions, action => Assert.Contains(action, unscopable));
            }
    }

    [Fact]
    public void Deploy_actions_gives_every_action_a_reason_and_a_sample_resource()
    {
        IReadOnlyList<DeployAction> actions = DeployAction.For(Stage.Dev);
        Assert.True(actions.Count > 150, $"{actions.Count} actions");
        Assert.All(actions, a =>
        {
            Assert.Matches(@"^[a-z0-9-]+:[A-Za-z0-9]+$", a.Action);
            Assert.True(a.Resource == "*" || a.Resource.StartsWith("arn:aws:", StringComparison.Ordinal), a.ToString());
            Assert.False(string.IsNullOrWhiteSpace(a.Reason), a.ToString());
        });
        // Tag-scoped entries are exactly those of the services that cannot scope by name.
        Assert.All(actions.Where(a => a.TagScoped), a => Assert.Matches("^(apigateway|acm):", a.Action));
    }

    [GeneratedRegex("<[a-z/-]+>")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\s")]
    private static partial Regex Whitespace();
}
