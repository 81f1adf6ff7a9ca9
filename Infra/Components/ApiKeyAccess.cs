using ItemsApi.DeployTime.Gateway;
using ItemsApi.DeployTime.Settings;
using Pulumi;
using Pulumi.Aws.ApiGateway;
using Pulumi.Aws.ApiGateway.Inputs;

namespace ItemsApi.Infra.Components;

/// <summary>
/// The usage plan (throttle + quota, the gateway policy's) that binds API keys to the stage, and its keys: the current
/// one and, while a rotation is under way, the next one (README: rotate the API key).
/// </summary>
public sealed class ApiKeyAccess : ComponentResource
{
    /// <param name="keyValue">The configured current key (a secret output), or null to let API Gateway generate one.</param>
    /// <param name="nextKeyValue">The configured next key, or null.</param>
    public ApiKeyAccess(string name, StageSettings settings, GatewayPolicy policy, string namePrefix, IDeployedApi api,
        Output<string>? keyValue, Output<string>? nextKeyValue, ComponentResourceOptions? options = null)
        : base("items-api:access:ApiKeyAccess", name, options)
    {
        var child = new CustomResourceOptions { Parent = this };
        ThrottleLimits throttle = policy.UsagePlanThrottle;
        QuotaLimits quota = policy.Quota;
        string quotaPeriod = ConfigKeys.QuotaPeriod.WordFor(quota.Period);

        Plan = new UsagePlan(name, new UsagePlanArgs
        {
            Name = $"{namePrefix}-plan",
            Tags = StageTags.For(settings),
            Description = $"{throttle.RatePerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture)}/s (burst {throttle.Burst}), {quota.Limit} per {quotaPeriod}",
            // The stage name comes from the Stage resource, so the plan waits for the stage to exist.
            ApiStages = { new UsagePlanApiStageArgs { ApiId = api.RestApiId, Stage = api.StageName } },
            ThrottleSettings = new UsagePlanThrottleSettingsArgs
            {
                RateLimit = throttle.RatePerSecond,
                BurstLimit = throttle.Burst,
            },
            QuotaSettings = new UsagePlanQuotaSettingsArgs { Limit = quota.Limit, Period = quotaPeriod, Offset = 0 },
        }, child);

        Key = KeyOfGeneration(name, settings, namePrefix, settings.ApiKeyGeneration, keyValue);
        if (settings.NextApiKey)
            NextKey = KeyOfGeneration(name, settings, namePrefix, settings.ApiKeyGeneration + 1, nextKeyValue);

        RegisterOutputs();
    }

    public UsagePlan Plan { get; }
    public ApiKey Key { get; }
    /// <summary>The key clients move to during a rotation; null otherwise.</summary>
    public ApiKey? NextKey { get; }

    /// <summary>
    /// Generation g's key and its place on the plan. Its names depend only on g, so when the next key becomes
    /// the current one (apiKeyGeneration + 1) it is the same resource: nothing is replaced, no client is cut off.
    /// Generation 1 keeps the names keys had before rotation existed.
    /// </summary>
    private ApiKey KeyOfGeneration(string name, StageSettings settings, string namePrefix, int generation, Output<string>? value)
    {
        string suffix = generation == 1 ? "" : $"-{generation}";
        var keyArgs = new ApiKeyArgs
        {
            Name = $"{namePrefix}-key{suffix}",
            Description = $"API key for stage {settings.StageName}, generation {generation}",
            Enabled = true,
            Tags = StageTags.For(settings),
        };
        // Unset: API Gateway generates the value (unique in the account and region, as key values must be).
        if (value is not null) keyArgs.Value = value;
        var key = new ApiKey($"{name}{suffix}", keyArgs, new CustomResourceOptions { Parent = this, AdditionalSecretOutputs = { "value" } });
        new UsagePlanKey($"{name}{suffix}", new UsagePlanKeyArgs { KeyId = key.Id, KeyType = "API_KEY", UsagePlanId = Plan.Id },
            new CustomResourceOptions { Parent = this });
        return key;
    }
}
