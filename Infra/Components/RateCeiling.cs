using ItemsApi.DeployTime.Gateway;
using ItemsApi.DeployTime.Operations;
using ItemsApi.DeployTime.Settings;
using Pulumi;
using Pulumi.Aws.WafV2;
using Pulumi.Aws.WafV2.Inputs;

namespace ItemsApi.Infra.Components;

/// <summary>
/// <c>wafRateLimit</c>: a regional WAF web ACL on the stage with one rate-based rule. Unlike a usage plan,
/// which AWS calls a target, WAF blocks a client IP over the limit before API Gateway or Lambda bill anything.
/// Blocked requests get API Gateway's own throttled answer (<see cref="GatewayAnswer.Throttled"/>): its status and JSON body.
/// </summary>
public sealed class RateCeiling : ComponentResource
{
    private const string BlockedBodyKey = "too-many-requests";

    public RateCeiling(string name, StageSettings settings, string namePrefix, IDeployedApi api, ComponentResourceOptions? options = null)
        : base("items-api:operations:RateCeiling", name, options)
    {
        var child = new CustomResourceOptions { Parent = this };
        WebAcl = new WebAcl(name, new WebAclArgs
        {
            Name = StageNames.WebAclNameFor(namePrefix),
            Description = $"At most {settings.WafRateLimit} requests per client IP per {settings.WafRateWindowSeconds} s on stage {settings.StageName}",
            Scope = "REGIONAL",
            DefaultAction = new WebAclDefaultActionArgs { Allow = new WebAclDefaultActionAllowArgs() },
            CustomResponseBodies =
            {
                new WebAclCustomResponseBodyArgs { Key = BlockedBodyKey, ContentType = "APPLICATION_JSON", Content = GatewayAnswer.Throttled.Body },
            },
            Rules =
            {
                new WebAclRuleArgs
                {
                    Name = "rate-per-ip",
                    Priority = 0,
                    Statement = new WebAclRuleStatementArgs
                    {
                        RateBasedStatement = new WebAclRuleStatementRateBasedStatementArgs
                        {
                            Limit = settings.WafRateLimit,
                            EvaluationWindowSec = settings.WafRateWindowSeconds,
                            AggregateKeyType = "IP",
                        },
                    },
                    Action = new WebAclRuleActionArgs
                    {
                        Block = new WebAclRuleActionBlockArgs
                        {
                            CustomResponse = new WebAclRuleActionBlockCustomResponseArgs
                            {
                                ResponseCode = GatewayAnswer.Throttled.Status, CustomResponseBodyKey = BlockedBodyKey,
                                // As on API Gateway's own 429: without them a browser reports a CORS error, not the 429.
                                ResponseHeaders = GatewayPolicy.For(settings).Cors.GatewayResponseHeaders
                                    .Select(h => new WebAclRuleActionBlockCustomResponseResponseHeaderArgs { Name = h.Key, Value = h.Value }).ToList(),
                            },
                        },
                    },
                    // No sampled requests: WAF keeps each sample's headers, the API key and bearer token among them,
                    // readable by anyone with wafv2:GetSampledRequests. The metric and its alarm show the blocks.
                    VisibilityConfig = new WebAclRuleVisibilityConfigArgs
                    {
                        CloudwatchMetricsEnabled = true, MetricName = StageNames.WebAclRuleMetricFor(namePrefix), SampledRequestsEnabled = false,
                    },
                },
            },
            VisibilityConfig = new WebAclVisibilityConfigArgs
            {
                CloudwatchMetricsEnabled = true, MetricName = $"{namePrefix}-ceiling", SampledRequestsEnabled = false,
            },
            Tags = StageTags.For(settings),
        }, child);

        new WebAclAssociation(name, new WebAclAssociationArgs { ResourceArn = api.StageArn, WebAclArn = WebAcl.Arn }, AssociationOptions(this));
        RegisterOutputs(new Dictionary<string, object?> { ["webAclArn"] = WebAcl.Arn });
    }

    /// <summary>
    /// A stage holds one web ACL, and WAF's DisassociateWebACL takes only the stage's ARN ("AWS WAF API Reference:
    /// DisassociateWebACL", ResourceArn is its one parameter). Replaced create-first, the new association would be made
    /// and then the old one's delete would disassociate whatever the stage has, the new one, leaving the stage
    /// unprotected (pulumi-aws #4782). So the old association goes first.
    /// </summary>
    internal static CustomResourceOptions AssociationOptions(Pulumi.Resource? parent) => new() { Parent = parent, DeleteBeforeReplace = true };

    public WebAcl WebAcl { get; }
}
