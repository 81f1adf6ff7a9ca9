using System.Text.RegularExpressions;
using ItemsApi.Core.Auth;
using ItemsApi.DeployTime.Project;
using Keys = ItemsApi.DeployTime.Settings.ConfigKeys;

namespace ItemsApi.DeployTime.Settings;

/// <summary>
/// A stage's settings, parsed and validated from stack config. Both the Pulumi program and the local
/// gateway load them through <see cref="Load"/>, so a stage behaves the same in both places.
/// </summary>
public sealed partial record StageSettings
{
    public required string StageName { get; init; }
    /// <summary>The Pulumi stack these settings belong to; usually the stage's name.</summary>
    public required string StackName { get; init; }
    public required AuthMode AuthMode { get; init; }
    public required ApiImplementation ApiImplementation { get; init; }
    public required LambdaArchitecture LambdaArchitecture { get; init; }
    public required FunctionBuild FunctionBuild { get; init; }
    public required int LambdaMemoryMb { get; init; }
    public required int LambdaTimeoutSeconds { get; init; }
    public required bool SnapStart { get; init; }
    public required int ProvisionedConcurrency { get; init; }
    /// <summary>With <see cref="UsesFunctionAlias"/>: how many published versions `pulumi up` keeps (Deploy/PublishedVersionRetention).</summary>
    public required int PublishedVersionsToKeep { get; init; }
    public required bool LambdaTracing { get; init; }
    public required int LogRetentionDays { get; init; }
    public required bool AccessLogs { get; init; }
    public required ExecutionLogLevel ExecutionLogLevel { get; init; }
    public required LoggingRoleMode ApiGatewayLoggingRole { get; init; }
    /// <summary>A policy name or ARN; null: the functions' roles have no permissions boundary.</summary>
    public required string? RolePermissionsBoundary { get; init; }
    public required bool MetricsEnabled { get; init; }
    public required double StageThrottleRateLimit { get; init; }
    public required int StageThrottleBurstLimit { get; init; }
    public required double UsagePlanRateLimit { get; init; }
    public required int UsagePlanBurstLimit { get; init; }
    public required int QuotaLimit { get; init; }
    public required QuotaPeriod QuotaPeriod { get; init; }
    public required int AuthorizerCacheTtlSeconds { get; init; }
    public required int AuthorizerMemoryMb { get; init; }
    /// <summary>0: no ceiling. Reserved only when the stage has an authorizer (<see cref="AuthorizerReservation"/>).</summary>
    public required int AuthorizerReservedConcurrency { get; init; }
    public required IReadOnlyList<string> CorsAllowedOrigins { get; init; }
    /// <summary>Both set: provisioned billing. Both null: on-demand.</summary>
    public required int? TableReadCapacity { get; init; }
    public required int? TableWriteCapacity { get; init; }
    public required bool PointInTimeRecovery { get; init; }
    public required bool ProtectData { get; init; }
    /// <summary>How long the items function remembers a create's Idempotency-Key (its <c>IDEMPOTENCY_WINDOW_HOURS</c>).</summary>
    public required int IdempotencyWindowHours { get; init; }
    public required string? CustomDomainName { get; init; }
    public required string? HostedZoneName { get; init; }
    public required bool DisableExecuteApiEndpoint { get; init; }
    /// <summary>0: no ceiling.</summary>
    public required int ReservedConcurrency { get; init; }
    /// <summary>0: no web ACL.</summary>
    public required int WafRateLimit { get; init; }
    public required int WafRateWindowSeconds { get; init; }
    /// <summary>Alarms, their topic and the dashboard; thresholds in <see cref="Alarms"/>.</summary>
    public required bool Monitoring { get; init; }
    public required string? AlarmEmail { get; init; }
    public required AlarmThresholds Alarms { get; init; }
    /// <summary>Secret; validated here, then read by the stack as a secret output. Null: API Gateway generates one.</summary>
    public required string? ApiKeyValue { get; init; }
    public required int ApiKeyGeneration { get; init; }
    public required bool NextApiKey { get; init; }
    /// <summary>Secret, like <see cref="ApiKeyValue"/>; only with <see cref="NextApiKey"/>.</summary>
    public required string? NextApiKeyValue { get; init; }
    /// <summary>Secret. Required in <see cref="AuthMode.ApiKeyAndAuthorizer"/>.</summary>
    public required IReadOnlyList<string> AuthorizerTokenHashes { get; init; }

    /// <summary>
    /// Where <see cref="AlarmThresholds.AccountConcurrencyLimit"/> came from, as the reservation checks name it: the config key,
    /// or Lambda's answer at preview (<see cref="WithMeasuredConcurrencyLimit"/>).
    /// </summary>
    public string AccountConcurrencyLimitSource { get; init; } = Keys.AccountConcurrencyLimit.Name;

    /// <summary>
    /// These settings with the account's concurrency limit as Lambda reports it (GetAccountSettings
    /// AccountLimit.ConcurrentExecutions) in place of accountConcurrencyLimit, and the reservation rules checked against
    /// it: an account whose limit is 10 refuses any reservation, whatever the config says. Throws
    /// <see cref="StageSettingsException"/> when a reservation does not fit.
    /// </summary>
    public StageSettings WithMeasuredConcurrencyLimit(int limit, string region)
    {
        StageSettings measured = this with
        {
            Alarms = Alarms with { AccountConcurrencyLimit = limit },
            AccountConcurrencyLimitSource = $"the account's Lambda concurrency limit in {region} (GetAccountSettings)",
        };
        var errors = new ConfigErrors();
        foreach (ConfigRule rule in ConfigRules.All.Where(rule => rule.Reads.Contains(Keys.AccountConcurrencyLimit))) errors.Check(rule, measured);
        errors.ThrowIfAny();
        return measured;
    }

    public bool ProvisionedBilling => TableReadCapacity is not null;

    /// <summary>Access or execution logs are on: the region's API Gateway CloudWatch role must be set.</summary>
    public bool NeedsLoggingRole => AccessLogs || ExecutionLogLevel != ExecutionLogLevel.Off;

    /// <summary>The stack declares the shared logging role and the account setting (logs on, apiGatewayLoggingRole: shared).</summary>
    public bool DeclaresLoggingRole => NeedsLoggingRole && ApiGatewayLoggingRole == LoggingRoleMode.Shared;

    /// <summary>The items function is called through a published version and its alias (SnapStart or provisioned concurrency).</summary>
    public bool UsesFunctionAlias => SnapStart || ProvisionedConcurrency > 0;

    /// <summary>The stage writes an access log (the resources implementation declares it; the component does not).</summary>
    public bool HasAccessLog => AccessLogs && ApiImplementation == Settings.ApiImplementation.Resources;

    /// <summary>The authorizer function's reserved concurrency: its setting when the stage has an authorizer, else 0 (no function).</summary>
    public int AuthorizerReservation => AuthMode == AuthMode.ApiKeyAndAuthorizer ? AuthorizerReservedConcurrency : 0;

    /// <summary>
    /// What this stack takes from the account's reservable concurrency: the items function's reservation (provisioned
    /// concurrency is drawn from it, or from the account's pool when there is none) plus the authorizer's.
    /// </summary>
    public int StackReservation => Math.Max(ReservedConcurrency, ProvisionedConcurrency) + AuthorizerReservation;

    /// <summary>The limit the concurrency alarm measures against: the function's own ceiling, or the account's.</summary>
    public int ConcurrencyLimit => ReservedConcurrency > 0 ? ReservedConcurrency : Alarms.AccountConcurrencyLimit;

    /// <summary>
    /// The default execute-api endpoint is off: only with a custom domain, and only when the stack owns the deployment.
    /// API Gateway applies the switch when the stage is next deployed, and Pulumi.AwsApiGateway's component redeploys only
    /// when its OpenAPI body, key source, binary media types, endpoint type or policy change, not this; so with the
    /// component the endpoint stays on rather than half-applied.
    /// </summary>
    public bool ExecuteApiEndpointDisabled =>
        CustomDomainName is not null && DisableExecuteApiEndpoint && ApiImplementation == Settings.ApiImplementation.Resources;

    /// <summary>
    /// What names AWS keeps only one of per account and region, and overwrites or reuses instead of refusing a second,
    /// are scoped by: CloudWatch alarms (PutMetricAlarm overwrites), dashboards (PutDashboard overwrites), the SNS topic
    /// (CreateTopic returns the existing one) and the 429 metric's namespace (metrics merge). The usual stack, named as its
    /// stage, keeps the plain stage name; any other is "{stage}--{stack}". The scope is injective: two different
    /// (stage, stack) pairs never share one, so no two stacks in an account share alarms, topic or dashboard. A stage name
    /// holds no "--" and does not end with '-' (<see cref="IsStageName"/>), so the first "--" ends the stage, and a plain
    /// stage name is never mistaken for a pair; the stack's name, whose '.' no dashboard or topic name allows, is written
    /// with '_' as an escape ('_' → "_u", '.' → "_d"). Dashboards and topics allow only letters, digits, '-' and '_'.
    /// (Functions, tables, log groups and web ACLs refuse a duplicate name instead: the second stack's `up` fails loudly.)
    /// </summary>
    public string MonitoringScope => StackName == StageName ? StageName : $"{StageName}{MonitoringScopeSeparator}{EscapeStackName(StackName)}";

    /// <summary>Between the stage and the stack in <see cref="MonitoringScope"/>; never inside a stage name.</summary>
    public const string MonitoringScopeSeparator = "--";

    /// <summary>A stack name in the letters, digits, '-' and '_' of dashboard and topic names, one to one: '_' → "_u", '.' → "_d".</summary>
    public static string EscapeStackName(string stackName) => stackName.Replace("_", "_u").Replace(".", "_d");

    /// <summary>
    /// What every per-stage name starts with (items-api-dev): functions, their roles, the table, log groups, the REST
    /// API, keys, usage plan, web ACL, alarms and topic. The deploy policy in iam/ allows exactly this prefix.
    /// </summary>
    public string NamePrefix => $"{Keys.Project}-{StageName}";

    /// <summary>
    /// The tag every taggable resource of the stage carries, with the stage's name as its value: API Gateway and ACM
    /// name their resources by generated ids, so the deploy policy scopes them by this tag instead
    /// (aws:RequestTag on create, aws:ResourceTag after).
    /// </summary>
    public const string StageTagKey = "items-api:stage";

    /// <summary>Retention periods CloudWatch Logs accepts.</summary>
    public static IReadOnlyList<int> AllowedRetentionDays { get; } =
        [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    /// <summary>
    /// Reads every key from <paramref name="config"/> (raw strings, as Pulumi passes them; arrays as JSON)
    /// and validates them all. Throws <see cref="StageSettingsException"/> listing every bad key.
    /// </summary>
    /// <param name="isEncrypted">
    /// Whether the stack file keeps a key's value encrypted (<c>secure:</c>). A secret key set in plain text is an
    /// error: its value would sit readable in <c>Pulumi.&lt;stack&gt;.yaml</c> and in the repository. Null: the
    /// config comes from no file (tests build it in memory).
    /// </param>
    public static StageSettings Load(Func<string, string?> config, string stackName, Func<string, bool>? isEncrypted = null)
    {
        var errors = new ConfigErrors();
        if (isEncrypted is not null)
            foreach (ConfigSetting secret in Keys.All.Where(key => key.SetWithSecret))
                if (config(secret.Name) is { Length: > 0 } value && !isEncrypted(secret.Name))
                    errors.Add(secret, value, $"an encrypted value: it is in plain text in {ProjectFiles.StackFileName(stackName)}. " +
                        $"Set it with `pulumi config set --secret {secret.Name} <value>`");
        string stageName = Keys.StageName.Read(config, errors) ?? stackName;
        if (!IsStageName(stageName)) errors.Add(Keys.StageName, stageName, Keys.StageName.Allowed + $" (the stack name '{stackName}' is not: set {Keys.StageName.Name})");

        int readCapacity = Keys.TableReadCapacity.Read(config, errors);
        int writeCapacity = Keys.TableWriteCapacity.Read(config, errors);
        var settings = new StageSettings
        {
            StageName = stageName,
            StackName = stackName,
            AuthMode = Keys.AuthMode.Read(config, errors),
            ApiImplementation = Keys.ApiImplementation.Read(config, errors),
            LambdaArchitecture = Keys.LambdaArchitecture.Read(config, errors),
            FunctionBuild = Keys.FunctionBuild.Read(config, errors),
            LambdaMemoryMb = Keys.LambdaMemoryMb.Read(config, errors),
            LambdaTimeoutSeconds = Keys.LambdaTimeoutSeconds.Read(config, errors),
            SnapStart = Keys.SnapStart.Read(config, errors),
            ProvisionedConcurrency = Keys.ProvisionedConcurrency.Read(config, errors),
            PublishedVersionsToKeep = Keys.PublishedVersionsToKeep.Read(config, errors),
            LambdaTracing = Keys.LambdaTracing.Read(config, errors),
            LogRetentionDays = Keys.LogRetentionDays.Read(config, errors),
            AccessLogs = Keys.AccessLogs.Read(config, errors),
            ExecutionLogLevel = Keys.ExecutionLogLevel.Read(config, errors),
            ApiGatewayLoggingRole = Keys.ApiGatewayLoggingRole.Read(config, errors),
            RolePermissionsBoundary = Keys.RolePermissionsBoundary.Read(config, errors),
            MetricsEnabled = Keys.MetricsEnabled.Read(config, errors),
            StageThrottleRateLimit = Keys.StageThrottleRateLimit.Read(config, errors),
            StageThrottleBurstLimit = Keys.StageThrottleBurstLimit.Read(config, errors),
            UsagePlanRateLimit = Keys.UsagePlanRateLimit.Read(config, errors),
            UsagePlanBurstLimit = Keys.UsagePlanBurstLimit.Read(config, errors),
            QuotaLimit = Keys.QuotaLimit.Read(config, errors),
            QuotaPeriod = Keys.QuotaPeriod.Read(config, errors),
            AuthorizerCacheTtlSeconds = Keys.AuthorizerCacheTtlSeconds.Read(config, errors),
            AuthorizerMemoryMb = Keys.AuthorizerMemoryMb.Read(config, errors),
            AuthorizerReservedConcurrency = Keys.AuthorizerReservedConcurrency.Read(config, errors),
            CorsAllowedOrigins = Keys.CorsAllowedOrigins.Read(config, errors),
            TableReadCapacity = readCapacity > 0 ? readCapacity : null,
            TableWriteCapacity = writeCapacity > 0 ? writeCapacity : null,
            PointInTimeRecovery = Keys.PointInTimeRecovery.Read(config, errors),
            ProtectData = Keys.ProtectData.Read(config, errors),
            IdempotencyWindowHours = Keys.IdempotencyWindowHours.Read(config, errors),
            CustomDomainName = Keys.CustomDomainName.Read(config, errors),
            HostedZoneName = Keys.HostedZoneName.Read(config, errors),
            DisableExecuteApiEndpoint = Keys.DisableExecuteApiEndpoint.Read(config, errors),
            ReservedConcurrency = Keys.ReservedConcurrency.Read(config, errors),
            WafRateLimit = Keys.WafRateLimit.Read(config, errors),
            WafRateWindowSeconds = Keys.WafRateWindowSeconds.Read(config, errors),
            Monitoring = Keys.Monitoring.Read(config, errors),
            AlarmEmail = Keys.AlarmEmail.Read(config, errors),
            Alarms = new AlarmThresholds
            {
                PeriodSeconds = Keys.AlarmPeriodSeconds.Read(config, errors),
                EvaluationPeriods = Keys.AlarmEvaluationPeriods.Read(config, errors),
                DatapointsToAlarm = Keys.AlarmDatapointsToAlarm.Read(config, errors),
                Api5xxPercent = Keys.Alarm5xxPercent.Read(config, errors),
                Api4xxPercent = Keys.Alarm4xxPercent.Read(config, errors),
                Throttled429Percent = Keys.Alarm429Percent.Read(config, errors),
                LatencyP99Ms = Keys.AlarmLatencyP99Ms.Read(config, errors),
                FunctionErrors = Keys.AlarmFunctionErrors.Read(config, errors),
                FunctionThrottles = Keys.AlarmFunctionThrottles.Read(config, errors),
                ConcurrencyPercent = Keys.AlarmConcurrencyPercent.Read(config, errors),
                AccountConcurrencyLimit = Keys.AccountConcurrencyLimit.Read(config, errors),
                TableThrottles = Keys.AlarmTableThrottles.Read(config, errors),
                TableSystemErrors = Keys.AlarmTableSystemErrors.Read(config, errors),
                WafBlocked = Keys.AlarmWafBlocked.Read(config, errors),
            },
            ApiKeyValue = Keys.ApiKeyValue.Read(config, errors),
            ApiKeyGeneration = Keys.ApiKeyGeneration.Read(config, errors),
            NextApiKey = Keys.NextApiKey.Read(config, errors),
            NextApiKeyValue = Keys.NextApiKeyValue.Read(config, errors),
            AuthorizerTokenHashes = BearerTokenAuthorizer.SplitList(Keys.AuthorizerTokenHashes.Read(config, errors)),
        };

        // Rules that tie keys together, each about the values as written (see ConfigRule).
        foreach (ConfigRule rule in ConfigRules.All) errors.Check(rule, settings);

        errors.ThrowIfAny();
        return settings;
    }


    /// <summary>ACM: a certificate's first domain name becomes its subject's common name, which X.509 limits to 64 characters.</summary>
    public const int CertificateNameMaxLength = 64;

    /// <summary>The concurrent executions Lambda keeps unreserved in every account and region.</summary>
    public const int UnreservedConcurrencyFloor = 100;

    public static bool IsStageName(string value) => StageNamePattern().IsMatch(value);

    public static bool IsDomainName(string value) => DomainPattern().IsMatch(value);

    /// <summary>IAM's rules for a managed policy's name, or an ARN of one (in any partition; AWS-managed too).</summary>
    public static bool IsPolicyNameOrArn(string value) => PolicyNamePattern().IsMatch(value) || PolicyArnPattern().IsMatch(value);

    /// <summary>What SNS accepts as an e-mail endpoint, roughly: one @, a local part, a domain.</summary>
    public static bool IsEmailAddress(string value) =>
        value.Split('@') is [{ Length: > 0 } local, string domain] && !local.Any(char.IsWhiteSpace) && IsDomainName(domain);

    public static bool IsOrigin(string value)
    {
        if (value == "*") return true;
        return Uri.TryCreate(value, UriKind.Absolute, out Uri? uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && uri.AbsolutePath == "/" && !value.EndsWith('/') && uri.Query.Length == 0 && uri.UserInfo.Length == 0;
    }

    [GeneratedRegex("^[A-Za-z0-9+=,.@_-]{1,128}$")]
    private static partial Regex PolicyNamePattern();

    [GeneratedRegex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/([A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]{1,128}$")]
    private static partial Regex PolicyArnPattern();

    /// <summary>1 to 40 letters, digits, '-' or '_', without "--" and not ending with '-' (see <see cref="MonitoringScope"/>).</summary>
    [GeneratedRegex("^(?!.*--)[A-Za-z0-9_-]{0,39}[A-Za-z0-9_]$")]
    private static partial Regex StageNamePattern();

    [GeneratedRegex(@"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")]
    private static partial Regex DomainPattern();
}
