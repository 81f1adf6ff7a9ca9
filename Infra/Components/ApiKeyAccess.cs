using ItemsApi.Core.Settings;
using Pulumi;
using Pulumi.Aws.ApiGateway;
using Pulumi.Aws.ApiGateway.Inputs;

namespace ItemsApi.Infra.Components;

/// <summary>An API key and the usage plan (throttle + quota) that binds it to the stage.</summary>
public sealed class ApiKeyAccess : ComponentResource
{
    public ApiKeyAccess(string name, StageSettings settings, string namePrefix, IFrontDoor frontDoor, ComponentResourceOptions? options = null)
        : base("items-api:access:ApiKeyAccess", name, options)
    {
        var child = new CustomResourceOptions { Parent = this };

        var keyArgs = new ApiKeyArgs
        {
            Name = $"{namePrefix}-key",
            Description = $"API key for stage {settings.StageName}",
            Enabled = true,
        };
        // Unset: API Gateway generates the value.
        if (settings.ApiKeyValue is { } value) keyArgs.Value = Output.CreateSecret(value);
        Key = new ApiKey(name, keyArgs, new CustomResourceOptions { Parent = this, AdditionalSecretOutputs = { "value" } });

        Plan = new UsagePlan(name, new UsagePlanArgs
        {
            Name = $"{namePrefix}-plan",
            Description = $"{settings.UsagePlanRateLimit}/s (burst {settings.UsagePlanBurstLimit}), {settings.QuotaLimit} per {settings.QuotaPeriod}",
            // The stage name comes from the Stage resource, so the plan waits for the stage to exist.
            ApiStages = { new UsagePlanApiStageArgs { ApiId = frontDoor.RestApiId, Stage = frontDoor.StageName } },
            ThrottleSettings = new UsagePlanThrottleSettingsArgs
            {
                RateLimit = settings.UsagePlanRateLimit,
                BurstLimit = settings.UsagePlanBurstLimit,
            },
            QuotaSettings = new UsagePlanQuotaSettingsArgs { Limit = settings.QuotaLimit, Period = settings.QuotaPeriod, Offset = 0 },
        }, child);

        new UsagePlanKey(name, new UsagePlanKeyArgs { KeyId = Key.Id, KeyType = "API_KEY", UsagePlanId = Plan.Id }, child);

        RegisterOutputs();
    }

    public ApiKey Key { get; }
    public UsagePlan Plan { get; }
}
