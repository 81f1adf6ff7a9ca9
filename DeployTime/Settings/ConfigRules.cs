using System.Globalization;
using Keys = ItemsApi.DeployTime.Settings.ConfigKeys;

namespace ItemsApi.DeployTime.Settings;

/// <summary>
/// A rule that ties config keys together. It names every key it reads, so when one of them was invalid (and now holds
/// its default) the rule is skipped instead of judging a value nobody wrote; that key's own error says what is wrong.
/// </summary>
/// <param name="Reads">Every key whose value <paramref name="Check"/> looks at.</param>
/// <param name="Check">Reports each violation with <see cref="ConfigErrors.Add"/>.</param>
public sealed record ConfigRule(IReadOnlyList<ConfigSetting> Reads, Action<StageSettings, ConfigErrors> Check);

/// <summary>Every rule between keys, checked in this order after each key has been read on its own.</summary>
public static class ConfigRules
{
    public static IReadOnlyList<ConfigRule> All { get; } =
    [
        new([Keys.StageThrottleBurstLimit, Keys.StageThrottleRateLimit], (s, errors) =>
        {
            if (s.StageThrottleBurstLimit < s.StageThrottleRateLimit)
                errors.Add(Keys.StageThrottleBurstLimit, s.StageThrottleBurstLimit, $"at least {Keys.StageThrottleRateLimit.Name} ({Show(s.StageThrottleRateLimit)}): a burst below the rate would cap it");
        }),
        new([Keys.UsagePlanBurstLimit, Keys.UsagePlanRateLimit], (s, errors) =>
        {
            if (s.UsagePlanBurstLimit < s.UsagePlanRateLimit)
                errors.Add(Keys.UsagePlanBurstLimit, s.UsagePlanBurstLimit, $"at least {Keys.UsagePlanRateLimit.Name} ({Show(s.UsagePlanRateLimit)}): a burst below the rate would cap it");
        }),
        new([Keys.TableReadCapacity, Keys.TableWriteCapacity], (s, errors) =>
        {
            if ((s.TableReadCapacity is null) != (s.TableWriteCapacity is null))
                errors.Add(s.TableReadCapacity is null ? Keys.TableReadCapacity : Keys.TableWriteCapacity, null,
                    $"set together with {(s.TableReadCapacity is null ? Keys.TableWriteCapacity.Name : Keys.TableReadCapacity.Name)} for provisioned billing, or leave both at 0 for on-demand");
        }),
        new([Keys.CustomDomainName, Keys.HostedZoneName], (s, errors) =>
        {
            if ((s.CustomDomainName is null) != (s.HostedZoneName is null))
                errors.Add(s.CustomDomainName is null ? Keys.CustomDomainName : Keys.HostedZoneName, null,
                    $"set together with {(s.CustomDomainName is null ? Keys.HostedZoneName.Name : Keys.CustomDomainName.Name)}");
            if (s.CustomDomainName is not null && s.HostedZoneName is not null
                && !s.CustomDomainName.EndsWith("." + s.HostedZoneName.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
                errors.Add(Keys.CustomDomainName, s.CustomDomainName, $"a name inside the hosted zone {s.HostedZoneName}");
        }),
        new([Keys.SnapStart, Keys.FunctionBuild], (s, errors) =>
        {
            if (s.SnapStart && s.FunctionBuild != FunctionBuild.ReadyToRun)
                errors.Add(Keys.SnapStart, "true", $"false when {Keys.FunctionBuild.Name} is {Keys.FunctionBuild.WordFor(s.FunctionBuild)}: " +
                    $"Lambda offers SnapStart for .NET only on the managed dotnet10 runtime; set {Keys.FunctionBuild.Name} readyToRun to use it");
        }),
        new([Keys.SnapStart, Keys.ProvisionedConcurrency], (s, errors) =>
        {
            if (s.SnapStart && s.ProvisionedConcurrency > 0)
                errors.Add(Keys.ProvisionedConcurrency, s.ProvisionedConcurrency, $"0 when {Keys.SnapStart.Name} is true: Lambda does not combine SnapStart with provisioned concurrency; choose one");
        }),
        new([Keys.ApiImplementation, Keys.SnapStart, Keys.ProvisionedConcurrency], (s, errors) =>
        {
            if (s.UsesFunctionAlias && s.ApiImplementation == ApiImplementation.Component)
                errors.Add(Keys.ApiImplementation, Keys.ApiImplementation.WordFor(s.ApiImplementation), $"resources with {Keys.SnapStart.Name} or {Keys.ProvisionedConcurrency.Name}: the component calls the function itself, not its alias");
        }),
        new([Keys.AuthMode, Keys.AuthorizerTokenHashes], (s, errors) =>
        {
            if (s.AuthMode == AuthMode.ApiKeyAndAuthorizer && s.AuthorizerTokenHashes.Count == 0)
                errors.Add(Keys.AuthorizerTokenHashes, null, "at least one hash when authMode is apiKey+authorizer (pulumi config set --secret authorizerTokenHashes <sha256>)");
        }),
        new([Keys.ReservedConcurrency, Keys.ProvisionedConcurrency], (s, errors) =>
        {
            if (s.ReservedConcurrency > 0 && s.ReservedConcurrency < s.ProvisionedConcurrency)
                errors.Add(Keys.ReservedConcurrency, s.ReservedConcurrency, $"0 or at least {Keys.ProvisionedConcurrency.Name} ({s.ProvisionedConcurrency}): Lambda keeps provisioned environments inside the function's reserved concurrency");
        }),
        // Lambda refuses a reservation (reserved or provisioned concurrency) that would leave the account fewer than 100
        // unreserved executions (PutFunctionConcurrency and PutProvisionedConcurrencyConfig: "the account's
        // UnreservedConcurrentExecutions can't go below 100"). New accounts often start with a limit of 10: nothing to reserve.
        new([Keys.ReservedConcurrency, Keys.AccountConcurrencyLimit], (s, errors) => CheckReservation(s, errors, Keys.ReservedConcurrency, s.ReservedConcurrency)),
        new([Keys.ProvisionedConcurrency, Keys.AccountConcurrencyLimit], (s, errors) => CheckReservation(s, errors, Keys.ProvisionedConcurrency, s.ProvisionedConcurrency)),
        new([Keys.WafRateLimit], (s, errors) =>
        {
            if (s.WafRateLimit is > 0 and < 10)
                errors.Add(Keys.WafRateLimit, s.WafRateLimit, "0 (no web ACL) or at least 10, the smallest limit a WAF rate-based rule takes");
        }),
        new([Keys.AlarmPeriodSeconds], (s, errors) =>
        {
            if (s.Alarms.PeriodSeconds % 60 != 0)
                errors.Add(Keys.AlarmPeriodSeconds, s.Alarms.PeriodSeconds, "a multiple of 60: the gateway, Lambda and DynamoDB publish metrics once a minute");
        }),
        new([Keys.AlarmDatapointsToAlarm, Keys.AlarmEvaluationPeriods], (s, errors) =>
        {
            if (s.Alarms.DatapointsToAlarm > s.Alarms.EvaluationPeriods)
                errors.Add(Keys.AlarmDatapointsToAlarm, s.Alarms.DatapointsToAlarm, $"at most {Keys.AlarmEvaluationPeriods.Name} ({s.Alarms.EvaluationPeriods}): an alarm cannot need more breaching periods than it looks at");
        }),
        new([Keys.AlarmEvaluationPeriods, Keys.AlarmPeriodSeconds], (s, errors) =>
        {
            if ((long)s.Alarms.PeriodSeconds * s.Alarms.EvaluationPeriods > 86_400)
                errors.Add(Keys.AlarmEvaluationPeriods, s.Alarms.EvaluationPeriods, $"at most {86_400 / s.Alarms.PeriodSeconds} with {Keys.AlarmPeriodSeconds.Name} {s.Alarms.PeriodSeconds}: CloudWatch evaluates at most one day");
        }),
        new([Keys.AlarmEmail, Keys.Monitoring], (s, errors) =>
        {
            if (s.AlarmEmail is not null && !s.Monitoring)
                errors.Add(Keys.AlarmEmail, s.AlarmEmail, $"empty unless {Keys.Monitoring.Name} is true: it subscribes to the alarm topic, which exists only then");
        }),
        new([Keys.Alarm429Percent, Keys.Monitoring, Keys.AccessLogs, Keys.ApiImplementation], (s, errors) =>
        {
            if (s.Monitoring && s.Alarms.Throttled429Percent > 0 && !s.HasAccessLog)
                errors.Add(Keys.Alarm429Percent, Show(s.Alarms.Throttled429Percent), $"0 when the stage has no access log ({Keys.AccessLogs.Name}: false, or {Keys.ApiImplementation.Name}: component): the 429 rate is counted from it");
        }),
        new([Keys.NextApiKeyValue, Keys.NextApiKey], (s, errors) =>
        {
            if (s.NextApiKeyValue is not null && !s.NextApiKey)
                errors.Add(Keys.NextApiKeyValue, s.NextApiKeyValue, $"empty unless {Keys.NextApiKey.Name} is true " +
                    $"(after a rotation, move it into {Keys.ApiKeyValue.Name}: the next key is now the current one)");
        }),
        // API Gateway replaces a key whose value changes (create, then delete) and refuses a second key with a value that
        // exists (CreateApiKey: 409 ConflictException). When the next key becomes the current one, a configured apiKeyValue
        // would be applied to it while the old key still holds that value: a 409, and had it worked, clients already on
        // the next key would be cut off. So with a configured current value, the next key needs its own.
        new([Keys.ApiKeyValue, Keys.NextApiKey, Keys.NextApiKeyValue], (s, errors) =>
        {
            if (s.ApiKeyValue is not null && s.NextApiKey && s.NextApiKeyValue is null)
                errors.Add(Keys.NextApiKeyValue, null, $"set when {Keys.ApiKeyValue.Name} is set and {Keys.NextApiKey.Name} is true: " +
                    $"when you raise {Keys.ApiKeyGeneration.Name} the next key becomes the current one, and {Keys.ApiKeyValue.Name} would " +
                    "replace it with the old key's value while the old key still exists (API Gateway refuses a duplicate value: 409). " +
                    $"Give the next key its own value, or unset {Keys.ApiKeyValue.Name} so API Gateway generates both");
        }),
        new([Keys.NextApiKeyValue, Keys.ApiKeyValue], (s, errors) =>
        {
            if (s.NextApiKeyValue is not null && s.NextApiKeyValue == s.ApiKeyValue)
                errors.Add(Keys.NextApiKeyValue, s.NextApiKeyValue, $"a value other than {Keys.ApiKeyValue.Name}: API Gateway refuses two keys with the same value");
        }),
        // The scoped deploy policy (iam/deploy-policy.json) allows API Gateway resources only with the stage tag, and roles only
        // with the boundary. Pulumi.AwsApiGateway's RestAPI takes no tags for what it creates, and with an authorizer it creates
        // a role of its own, without a boundary: under that policy its `up` would fail halfway.
        new([Keys.ApiImplementation, Keys.RolePermissionsBoundary], (s, errors) =>
        {
            if (s.ApiImplementation == ApiImplementation.Component && s.RolePermissionsBoundary is not null)
                errors.Add(Keys.ApiImplementation, Keys.ApiImplementation.WordFor(s.ApiImplementation),
                    $"resources when {Keys.RolePermissionsBoundary.Name} is set: the component tags none of the API Gateway resources it creates " +
                    "and gives its authorizer's role no boundary, which a stage's scoped deploy policy refuses");
        }),
        // The stack's reservations together, the authorizer's too, must leave Lambda its 100 unreserved executions (the
        // same rule as above, for their sum: each function's reservation comes out of the one account pool).
        new([Keys.AuthorizerReservedConcurrency, Keys.AuthMode, Keys.ReservedConcurrency, Keys.ProvisionedConcurrency, Keys.AccountConcurrencyLimit], (s, errors) =>
        {
            if (s.AuthorizerReservation == 0) return;
            int reservable = s.Alarms.AccountConcurrencyLimit - StageSettings.UnreservedConcurrencyFloor;
            int itemsReservation = Math.Max(s.ReservedConcurrency, s.ProvisionedConcurrency);
            if (s.StackReservation > Math.Max(0, reservable))
                errors.Add(Keys.AuthorizerReservedConcurrency, s.AuthorizerReservedConcurrency, reservable - itemsReservation > 0
                    ? $"at most {reservable - itemsReservation}: {s.AccountConcurrencyLimitSource} ({s.Alarms.AccountConcurrencyLimit}) minus the {StageSettings.UnreservedConcurrencyFloor} executions Lambda keeps unreserved, minus the items function's {itemsReservation} ({Keys.ReservedConcurrency.Name} or {Keys.ProvisionedConcurrency.Name}), and less what other functions in this account and region reserve"
                    : $"0 (no ceiling on the authorizer): with {s.AccountConcurrencyLimitSource} {s.Alarms.AccountConcurrencyLimit} and the items function's {itemsReservation}, nothing is left to reserve, because Lambda keeps {StageSettings.UnreservedConcurrencyFloor} executions unreserved (ask AWS Service Quotas for a higher limit)");
        }),
    ];

    private static void CheckReservation(StageSettings s, ConfigErrors errors, ConfigSetting key, int value)
    {
        int reservable = s.Alarms.AccountConcurrencyLimit - StageSettings.UnreservedConcurrencyFloor;
        if (value > Math.Max(0, reservable))
            errors.Add(key, value, reservable > 0
                ? $"at most {reservable}: {s.AccountConcurrencyLimitSource} ({s.Alarms.AccountConcurrencyLimit}) minus the {StageSettings.UnreservedConcurrencyFloor} executions Lambda keeps unreserved, and less what other functions in this account and region reserve"
                : $"0: with {s.AccountConcurrencyLimitSource} {s.Alarms.AccountConcurrencyLimit} nothing can be reserved, because Lambda keeps {StageSettings.UnreservedConcurrencyFloor} executions unreserved (ask AWS Service Quotas for a higher limit)");
    }

    private static string Show(double value) => value.ToString(CultureInfo.InvariantCulture);
}
