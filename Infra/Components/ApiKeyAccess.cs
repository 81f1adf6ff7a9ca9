using ItemsApi.Core.Settings;
using Pulumi;
using Pulumi.Aws.ApiGateway;
using Pulumi.Aws.ApiGateway.Inputs;

namespace ItemsApi.Infra.Components;

/// <summary>An API key and the usage plan (throttle + quota) that binds it to the stage.</summary>
public sealed class ApiKeyAccess : ComponentResource
{
    /// <param name="keyValue">The configured key (a secret output), or null to let API Gateway generate one.</param>
    public ApiKeyAccess(string name, StageSettings settings, string namePrefix, IDeployedApi api, Output<string>? keyValue, ComponentResourceOptions? options = null)
        : base("items-api:access:ApiKeyAccess", name, options)
    {
        var child = new CustomResourceOptions { Parent = this };
        string quotaPeriod = ConfigKeys.QuotaPeriod.WordFor(settings.QuotaPeriod);

        var keyArgs = new ApiKeyArgs
        {
            Name = $"{namePrefix}-key",
            Description = $"API key for stage {settings.StageName}",
            Enabled = true,
        };
        // Unset: API Gateway generates the value (unique in the account and region, as key values must be).
        if (keyValue is not null) keyArgs.Value = keyValue;
        Key = new ApiKey(name, keyArgs, new CustomResourceOptions { Parent = this, AdditionalSecretOutputs = { "value" } });

        Plan = new UsagePlan(name, new UsagePlanArgs
        {
            Name = $"{namePrefix}-plan",
            Description = $"{settings.UsagePlanRateLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)}/s (burst {settings.UsagePlanBurstLimit}), {settings.QuotaLimit} per {quotaPeriod}",
            // The stage name comes from the Stage resource, so the plan waits for the stage to exist.
            ApiStages = { new UsagePlanApiStageArgs { ApiId = api.RestApiId, Stage = api.StageName } },
            ThrottleSettings = new UsagePlanThrottleSettingsArgs
            {
                RateLimit = settings.UsagePlanRateLimit,
                BurstLimit = settings.UsagePlanBurstLimit,
            },
            QuotaSettings = new UsagePlanQuotaSettingsArgs { Limit = settings.QuotaLimit, Period = quotaPeriod, Offset = 0 },
        }, child);

        new UsagePlanKey(name, new UsagePlanKeyArgs { KeyId = Key.Id, KeyType = "API_KEY", UsagePlanId = Plan.Id }, child);

        RegisterOutputs();
    }

    public ApiKey Key { get; }
    public UsagePlan Plan { get; }
}
