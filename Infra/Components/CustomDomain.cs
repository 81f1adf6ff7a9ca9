using ItemsApi.DeployTime.Settings;
using Pulumi;
using Pulumi.Aws.Acm;
using Pulumi.Aws.ApiGateway;
using Pulumi.Aws.ApiGateway.Inputs;
using Pulumi.Aws.Route53;
using Pulumi.Aws.Route53.Inputs;

namespace ItemsApi.Infra.Components;

/// <summary>
/// A regional custom domain (TLS 1.2) for the stage: an ACM certificate validated through DNS in the
/// given Route53 zone, the API Gateway domain name, a base path mapping and an alias record.
/// </summary>
public sealed class CustomDomain : ComponentResource
{
    public CustomDomain(string name, StageSettings settings, IDeployedApi api, ComponentResourceOptions? options = null)
        : base("items-api:dns:CustomDomain", name, options)
    {
        string domainName = settings.CustomDomainName ?? throw new ArgumentException("no customDomainName", nameof(settings));
        string hostedZoneName = settings.HostedZoneName ?? throw new ArgumentException("no hostedZoneName", nameof(settings));
        var child = new CustomResourceOptions { Parent = this };
        Output<string> zoneId = GetZone.Invoke(new GetZoneInvokeArgs { Name = hostedZoneName, PrivateZone = false }).Apply(z => z.ZoneId);

        var certificate = new Certificate(name, new CertificateArgs { DomainName = domainName, ValidationMethod = "DNS", Tags = StageTags.For(settings) }, child);
        var validationRecord = new Record($"{name}-validation", new RecordArgs
        {
            ZoneId = zoneId,
            Name = certificate.DomainValidationOptions.Apply(o => o[0].ResourceRecordName!),
            Type = certificate.DomainValidationOptions.Apply(o => o[0].ResourceRecordType!),
            Records = { certificate.DomainValidationOptions.Apply(o => o[0].ResourceRecordValue!) },
            Ttl = 300,
            AllowOverwrite = true,
        }, child);
        var validation = new CertificateValidation(name, new CertificateValidationArgs
        {
            CertificateArn = certificate.Arn,
            ValidationRecordFqdns = { validationRecord.Fqdn },
        }, child);

        var domain = new DomainName(name, new DomainNameArgs
        {
            Domain = domainName,
            RegionalCertificateArn = validation.CertificateArn,
            EndpointConfiguration = new DomainNameEndpointConfigurationArgs { Types = "REGIONAL" },
            SecurityPolicy = "TLS_1_2",
            Tags = StageTags.For(settings),
        }, SingleInstanceOptions(this));

        new BasePathMapping(name, new BasePathMappingArgs
        {
            DomainName = domain.Domain,
            RestApi = api.RestApiId,
            StageName = api.StageName,
        }, SingleInstanceOptions(this));

        new Record($"{name}-alias", new RecordArgs
        {
            ZoneId = zoneId,
            Name = domainName,
            Type = "A",
            Aliases = { new RecordAliasArgs { Name = domain.RegionalDomainName, ZoneId = domain.RegionalZoneId, EvaluateTargetHealth = false } },
        }, child);

        Url = Output.Create($"https://{domainName}{Core.Routes.RouteTable.ItemsPath}");
        RegisterOutputs(new Dictionary<string, object?> { ["url"] = Url });
    }

    /// <summary>https://&lt;domain&gt;/items</summary>
    public Output<string> Url { get; }

    /// <summary>
    /// A domain name (and its base path mapping) can exist only once, so a replacement must delete the old
    /// one first; Pulumi's default, create-then-delete, would fail on the duplicate name.
    /// </summary>
    internal static CustomResourceOptions SingleInstanceOptions(Pulumi.Resource? parent) => new() { Parent = parent, DeleteBeforeReplace = true };
}
