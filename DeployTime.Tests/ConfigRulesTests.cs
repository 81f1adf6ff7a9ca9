using System.Reflection;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Tests;

/// <summary>The rules between config keys are a declared list, each naming the keys it reads (ConfigRules).</summary>
public class ConfigRulesTests
{
    private static readonly StageSettings Valid = StageSettings.Load(_ => null, "dev");

    /// <summary>One setting that breaks each rule, in the order of <see cref="ConfigRules.All"/>.</summary>
    private static IReadOnlyList<StageSettings> OneBreachPerRule() =>
    [
        Valid with { StageThrottleRateLimit = 10, StageThrottleBurstLimit = 5 },
        Valid with { UsagePlanRateLimit = 10, UsagePlanBurstLimit = 5 },
        Valid with { TableReadCapacity = 5 },
        Valid with { CustomDomainName = "api.other.com", HostedZoneName = "example.com" },
        Valid with { SnapStart = true },
        Valid with { SnapStart = true, FunctionBuild = FunctionBuild.ReadyToRun, ProvisionedConcurrency = 1 },
        Valid with { ProvisionedConcurrency = 1, ApiImplementation = ApiImplementation.Component },
        Valid with { AuthMode = AuthMode.ApiKeyAndAuthorizer },
        Valid with { ReservedConcurrency = 1, ProvisionedConcurrency = 2 },
        Valid with { ReservedConcurrency = 5, Alarms = Valid.Alarms with { AccountConcurrencyLimit = 10 } },
        Valid with { ProvisionedConcurrency = 5, Alarms = Valid.Alarms with { AccountConcurrencyLimit = 10 } },
        Valid with { WafRateLimit = 5 },
        Valid with { Alarms = Valid.Alarms with { PeriodSeconds = 90 } },
        Valid with { Alarms = Valid.Alarms with { DatapointsToAlarm = 9, EvaluationPeriods = 3 } },
        Valid with { Alarms = Valid.Alarms with { PeriodSeconds = 3600, EvaluationPeriods = 25 } },
        Valid with { AlarmEmail = "ops@example.com", Monitoring = false },
        Valid with { Monitoring = true, AccessLogs = false, Alarms = Valid.Alarms with { Throttled429Percent = 1 } },
        Valid with { NextApiKeyValue = "next-key-value-0123456789" },
        Valid with { ApiKeyValue = "key-value-0123456789abc", NextApiKey = true },
        Valid with { NextApiKey = true, ApiKeyValue = "same-value-0123456789", NextApiKeyValue = "same-value-0123456789" },
        Valid with { ApiImplementation = ApiImplementation.Component, RolePermissionsBoundary = "items-api-dev-boundary" },
        Valid with { AuthMode = AuthMode.ApiKeyAndAuthorizer, AuthorizerReservedConcurrency = 10, ReservedConcurrency = 900 },
    ];

    [Fact]
    public void Each_rule_reports_only_keys_it_declares_it_reads()
    {
        IReadOnlyList<StageSettings> breaches = OneBreachPerRule();
        Assert.Equal(ConfigRules.All.Count, breaches.Count);
        for (int i = 0; i < breaches.Count; i++)
        {
            ConfigRule rule = ConfigRules.All[i];
            var errors = new ConfigErrors();
            errors.Check(rule, breaches[i]);
            StageSettingsException reported = Assert.Throws<StageSettingsException>(errors.ThrowIfAny);
            foreach (string line in reported.Errors)
                Assert.Contains(rule.Reads, key => line.StartsWith(key.FullName + " = ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_rule_is_skipped_when_a_key_it_reads_was_invalid_whatever_its_message_says()
    {
        // A burst below its rate: the rule reads both keys. An invalid rate (now its default) must not be judged.
        string message = Assert.Throws<StageSettingsException>(() => StageSettings.Load(
            key => key switch { "usagePlanRateLimit" => "abc", "usagePlanBurstLimit" => "1", _ => null }, "dev")).Message;
        Assert.Contains("items-api:usagePlanRateLimit = 'abc' is not valid", message);
        Assert.DoesNotContain("usagePlanBurstLimit", message);

        // The same breach with valid keys is reported.
        Assert.Contains("items-api:usagePlanBurstLimit = 1 is not valid",
            Assert.Throws<StageSettingsException>(() => StageSettings.Load(
                key => key switch { "usagePlanRateLimit" => "10", "usagePlanBurstLimit" => "1", _ => null }, "dev")).Message);
    }

    [Fact]
    public void One_rules_error_does_not_silence_another_rule_on_the_same_key()
    {
        // SnapStart without readyToRun, and SnapStart with provisioned concurrency: both are reported.
        string message = Assert.Throws<StageSettingsException>(() => StageSettings.Load(
            key => key switch { "snapStart" => "true", "provisionedConcurrency" => "1", _ => null }, "dev")).Message;
        Assert.Contains("items-api:snapStart = 'true' is not valid", message);
        Assert.Contains("items-api:provisionedConcurrency = 1 is not valid", message);
    }

    [Fact]
    public void The_component_cannot_carry_the_stage_tag_or_the_boundary_so_it_is_refused_with_one()
    {
        string message = Assert.Throws<StageSettingsException>(() => StageSettings.Load(
            key => key switch { "apiImplementation" => "component", "rolePermissionsBoundary" => "items-api-dev-boundary", _ => null }, "dev")).Message;
        Assert.Contains("items-api:apiImplementation = 'component' is not valid; expected resources when rolePermissionsBoundary is set: " +
            "the component tags none of the API Gateway resources it creates and gives its authorizer's role no boundary", message);
        // Without a boundary (an administrator's deploy), the component is allowed.
        Assert.Equal(ApiImplementation.Component, StageSettings.Load(key => key == "apiImplementation" ? "component" : null, "dev").ApiImplementation);
    }

    [Fact]
    public void Every_declared_setting_is_in_the_list_everything_else_is_generated_from()
    {
        // Pulumi.yaml, the README table and StageSettings.Load all read ConfigKeys.All; a setting left out of it is undeclared.
        ConfigSetting[] declared = typeof(ConfigKeys).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => typeof(ConfigSetting).IsAssignableFrom(field.FieldType))
            .Select(field => (ConfigSetting)field.GetValue(null)!)
            .ToArray();
        Assert.True(declared.Length > 50, $"found only {declared.Length} declared settings");
        Assert.Equal(declared.Select(s => s.Name).Order(), ConfigKeys.All.Select(s => s.Name).Order());
    }
}
