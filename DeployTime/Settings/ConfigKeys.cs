using ItemsApi.Core.Auth;
using ItemsApi.Core.Runtime;
using ItemsApi.DeployTime.Gateway;

namespace ItemsApi.DeployTime.Settings;

/// <summary>
/// Every stack config key, declared once. <see cref="StageSettings.Load"/> reads them; Pulumi.yaml's
/// <c>config:</c> block and the README's config table are generated from this list
/// (<c>dotnet run --project LocalGateway -- sync-config</c>; a test fails when they are stale).
/// A new stage setting is a line here plus its property in <see cref="StageSettings"/>.
/// </summary>
public static class ConfigKeys
{
    /// <summary>The Pulumi project name, which is also the config namespace (<c>items-api:authMode</c>).</summary>
    public const string Project = "items-api";

    public static readonly TextSetting StageName = new("stageName",
        "API Gateway stage name, 1 to 40 letters, digits, - or _, without -- and not ending with -. Empty: the stack name.",
        StageSettings.IsStageName, "1 to 40 letters, digits, '-' or '_', without '--' and not ending with '-' (function names are built from it; '--' separates stage and stack in monitoring names)");

    public static readonly ChoiceSetting<AuthMode> AuthMode = new("authMode",
        "apiKey | apiKey+authorizer | iam. An API key is required in every mode.",
        Settings.AuthMode.ApiKey,
        [("apiKey", Settings.AuthMode.ApiKey), ("apiKey+authorizer", Settings.AuthMode.ApiKeyAndAuthorizer), ("iam", Settings.AuthMode.Iam)]);

    public static readonly ChoiceSetting<ApiImplementation> ApiImplementation = new("apiImplementation",
        "resources (explicit REST resource tree) | component (Pulumi.AwsApiGateway RestAPI).",
        Settings.ApiImplementation.Resources,
        [("resources", Settings.ApiImplementation.Resources), ("component", Settings.ApiImplementation.Component)]);

    public static readonly ChoiceSetting<LambdaArchitecture> LambdaArchitecture = new("lambdaArchitecture",
        "arm64 | x86_64.",
        Settings.LambdaArchitecture.Arm64,
        [("arm64", Settings.LambdaArchitecture.Arm64), ("x86_64", Settings.LambdaArchitecture.X86_64)]);

    public static readonly ChoiceSetting<FunctionBuild> FunctionBuild = new("functionBuild",
        "nativeAot: one native executable on Lambda's OS-only runtime provided.al2023, the fastest cold start; building it needs Linux with clang (see README) | readyToRun: precompiled assemblies on the managed dotnet10 runtime, builds anywhere, the only one with snapStart.",
        Settings.FunctionBuild.NativeAot,
        [("nativeAot", Settings.FunctionBuild.NativeAot), ("readyToRun", Settings.FunctionBuild.ReadyToRun)]);

    public static readonly IntegerSetting LambdaMemoryMb = new("lambdaMemoryMb",
        "Function memory in MB, 128 to 10240. CPU grows with it (one vCPU at 1769 MB); the native function peaks near 36 MB, so 256 is its default (README: Cold starts).", 256, 128, 10240);

    /// <summary>The function must give up before API Gateway stops waiting for it.</summary>
    private const int IntegrationTimeoutSeconds = ApiDefinition.IntegrationTimeoutMilliseconds / 1000;

    public static readonly IntegerSetting LambdaTimeoutSeconds = new("lambdaTimeoutSeconds",
        $"Function timeout in seconds, 1 to {IntegrationTimeoutSeconds - 1}: below API Gateway's {IntegrationTimeoutSeconds} s integration timeout, so the gateway never answers 504 while the function still works.",
        10, 1, IntegrationTimeoutSeconds - 1);

    public static readonly BooleanSetting SnapStart = new("snapStart",
        "Lambda SnapStart for the items function: cold starts restore a snapshot taken after init instead of running it. Publishes a version per code change behind the alias 'live'. Needs functionBuild readyToRun; not with provisionedConcurrency.",
        false);

    public static readonly IntegerSetting ProvisionedConcurrency = new("provisionedConcurrency",
        "Items function environments Lambda keeps initialized on the alias 'live' (billed while configured). 0: none. Not with snapStart.",
        0, 0, 1000);

    public static readonly IntegerSetting PublishedVersionsToKeep = new("publishedVersionsToKeep",
        "With snapStart or provisionedConcurrency: the newest published versions of the items function `pulumi up` keeps; it deletes older ones after moving the alias 'live', never one an alias uses. Each kept version costs SnapStart cache and code storage.",
        2, 1, 100);

    public static readonly BooleanSetting LambdaTracing = new("lambdaTracing",
        "X-Ray active tracing for the function and the stage.", false);

    public static readonly IntegerSetting LogRetentionDays = new("logRetentionDays",
        "Retention of the function, access and execution log groups, in a value CloudWatch accepts.",
        14, 1, 3653, StageSettings.AllowedRetentionDays);

    public static readonly BooleanSetting AccessLogs = new("accessLogs",
        "One JSON access-log line per request in CloudWatch Logs. Needs the region's API Gateway CloudWatch role (see apiGatewayLoggingRole).",
        true);

    public static readonly ChoiceSetting<ExecutionLogLevel> ExecutionLogLevel = new("executionLogLevel",
        "API Gateway execution logs: OFF | ERROR | INFO. Needs the region's API Gateway CloudWatch role (see apiGatewayLoggingRole).",
        Settings.ExecutionLogLevel.Off,
        [("OFF", Settings.ExecutionLogLevel.Off), ("ERROR", Settings.ExecutionLogLevel.Error), ("INFO", Settings.ExecutionLogLevel.Info)]);

    public static readonly ChoiceSetting<LoggingRoleMode> ApiGatewayLoggingRole = new("apiGatewayLoggingRole",
        "shared: the stack sets the region's API Gateway CloudWatch role to one shared role, the same in every stack (created or adopted, kept on destroy) | external: you manage that account setting yourself. Only used when logs are on.",
        LoggingRoleMode.Shared,
        [("shared", LoggingRoleMode.Shared), ("external", LoggingRoleMode.External)]);

    public static readonly TextSetting RolePermissionsBoundary = new("rolePermissionsBoundary",
        "The IAM policy every role the stack creates for its functions carries as its permissions boundary: a policy name in the deploying account (items-api-dev-boundary) or a policy ARN. Empty: none. The deploy policy in iam/ lets a stage create roles only with items-api-<stage>-boundary (README: Deploy from GitHub Actions).",
        value => StageSettings.IsPolicyNameOrArn(value), "an IAM policy name (1 to 128 letters, digits or +=,.@_-) or a policy ARN (arn:aws:iam::<account-id>:policy/<name>)");

    public static readonly BooleanSetting MetricsEnabled = new("metricsEnabled",
        "Detailed CloudWatch metrics for every method.", true);

    public static readonly RateSetting StageThrottleRateLimit = new("stageThrottleRateLimit",
        "Stage throttle, requests per second, applied to each method separately (API Gateway's method-level stage throttle: the stage as a whole can take this times its number of methods, CORS preflights included). Decimals allowed.",
        100);

    public static readonly IntegerSetting StageThrottleBurstLimit = new("stageThrottleBurstLimit",
        "Stage throttle burst, per method; at least the rate.", 200, 1, 5000);

    public static readonly RateSetting UsagePlanRateLimit = new("usagePlanRateLimit",
        "Usage plan: steady requests per second per API key, across all methods. A target, not a guarantee. Decimals allowed.",
        10);

    public static readonly IntegerSetting UsagePlanBurstLimit = new("usagePlanBurstLimit",
        "Usage plan: burst per API key; at least the rate.", 20, 1, 5000);

    public static readonly IntegerSetting QuotaLimit = new("quotaLimit",
        "Usage plan: requests per API key per quota period.", 10000, 1, int.MaxValue);

    public static readonly ChoiceSetting<QuotaPeriod> QuotaPeriod = new("quotaPeriod",
        "Usage plan quota period: DAY | WEEK | MONTH.",
        Settings.QuotaPeriod.Day,
        [("DAY", Settings.QuotaPeriod.Day), ("WEEK", Settings.QuotaPeriod.Week), ("MONTH", Settings.QuotaPeriod.Month)]);

    public static readonly IntegerSetting AuthorizerCacheTtlSeconds = new("authorizerCacheTtlSeconds",
        "How long API Gateway caches an authorizer decision, 0 to 3600 seconds.", 300, 0, 3600);

    // The authorizer runs before API Gateway checks the key, so any caller can make it run: its size and ceiling are its own.
    public static readonly IntegerSetting AuthorizerMemoryMb = new("authorizerMemoryMb",
        "authMode apiKey+authorizer: the authorizer function's memory in MB, 128 to 1024. It runs before the API key is checked, for callers without one too, and only hashes a token, so it gets the smallest size, not lambdaMemoryMb.",
        128, 128, 1024);

    public static readonly IntegerSetting AuthorizerReservedConcurrency = new("authorizerReservedConcurrency",
        "authMode apiKey+authorizer: the most authorizer environments that run at once (its reserved concurrency), a ceiling on what callers without a key can make Lambda run. Beyond it the call fails and API Gateway answers 500 (its AUTHORIZER_* gateway responses default to 500); decisions are cached for authorizerCacheTtlSeconds, so known tokens rarely need it. Counts against the account's reservable concurrency with reservedConcurrency. 0: no ceiling.",
        10, 0, 1000);

    public static readonly ListSetting CorsAllowedOrigins = new("corsAllowedOrigins",
        "Browser origins allowed to call the API (e.g. https://app.example.com, or *). Empty: no CORS.",
        StageSettings.IsOrigin, "\"*\" or origins like https://app.example.com (scheme and host, no path)");

    public static readonly IntegerSetting TableReadCapacity = new("tableReadCapacity",
        "Set with tableWriteCapacity for provisioned billing. 0: on-demand.", 0, 0, 40_000);

    public static readonly IntegerSetting TableWriteCapacity = new("tableWriteCapacity",
        "Set with tableReadCapacity for provisioned billing. 0: on-demand.", 0, 0, 40_000);

    public static readonly BooleanSetting PointInTimeRecovery = new("pointInTimeRecovery",
        "DynamoDB point-in-time recovery for the table (35 days of restorable history). On unless a stack opts out.", true);

    public static readonly BooleanSetting ProtectData = new("protectData",
        "Deletion protection on the table and Pulumi protect on it. On unless a stack opts out (the dev stack does): set false to let destroy delete the table.", true);

    /// <summary>A week at most: every remembered key keeps a copy of its item's document in the table until it expires.</summary>
    public static readonly IntegerSetting IdempotencyWindowHours = new("idempotencyWindowHours",
        "How long POST /items remembers an Idempotency-Key, in hours, 1 to 168: a retry with the key in this window answers the original item instead of creating another. Each key is a record in the table (with a copy of the document) until DynamoDB's TTL removes it.",
        FunctionContract.DefaultIdempotencyWindowHours, 1, 168);

    public static readonly TextSetting CustomDomainName = new("customDomainName",
        "Optional custom domain, e.g. api.example.com (needs hostedZoneName), at most 64 characters: the certificate's first name.",
        value => StageSettings.IsDomainName(value) && value.Length <= StageSettings.CertificateNameMaxLength,
        $"a DNS name such as api.example.com, at most {StageSettings.CertificateNameMaxLength} characters (an ACM certificate's first domain name, its subject's common name, is limited to 64)");

    public static readonly TextSetting HostedZoneName = new("hostedZoneName",
        "Route53 public hosted zone for customDomainName, e.g. example.com.",
        value => StageSettings.IsDomainName(value.TrimEnd('.')), "a DNS zone such as example.com");

    public static readonly BooleanSetting DisableExecuteApiEndpoint = new("disableExecuteApiEndpoint",
        "With a custom domain: turn off the default execute-api URL, so clients use the domain. Ignored without one, and with apiImplementation component (whose redeploys would not apply it).", true);

    public static readonly IntegerSetting ReservedConcurrency = new("reservedConcurrency",
        "Hard ceiling on cost: the most items-function environments that run at once. Lambda refuses the requests beyond it and API Gateway answers those 500, not 429, so clients are not told to back off; the function-throttles alarm counts them. 0: no ceiling (the account's unreserved pool). At least provisionedConcurrency.",
        0, 0, 10_000);

    public static readonly IntegerSetting WafRateLimit = new("wafRateLimit",
        "Hard ceiling: a WAF web ACL on the stage blocks a client IP above this many requests per wafRateWindowSeconds (answer 429). 0: no web ACL. At least 10.",
        0, 0, 2_000_000_000);

    public static readonly IntegerSetting WafRateWindowSeconds = new("wafRateWindowSeconds",
        "The window wafRateLimit counts over, in seconds.", 300, 60, 600, [60, 120, 300, 600]);

    public static readonly BooleanSetting Monitoring = new("monitoring",
        "CloudWatch alarms (to an SNS topic) and a dashboard for the stage. Thresholds: the alarm* keys.", false);

    public static readonly TextSetting AlarmEmail = new("alarmEmail",
        "Optional e-mail address subscribed to the alarm topic (AWS sends a confirmation mail first).",
        StageSettings.IsEmailAddress, "an e-mail address such as ops@example.com");

    public static readonly IntegerSetting AlarmPeriodSeconds = new("alarmPeriodSeconds",
        "Length of one alarm evaluation period in seconds: 60 or a multiple of 60.", 60, 60, 86_400);

    public static readonly IntegerSetting AlarmEvaluationPeriods = new("alarmEvaluationPeriods",
        "How many recent periods an alarm looks at.", 5, 1, 100);

    public static readonly IntegerSetting AlarmDatapointsToAlarm = new("alarmDatapointsToAlarm",
        "How many of those periods must breach before the alarm fires; at most alarmEvaluationPeriods.", 3, 1, 100);

    public static readonly PercentSetting Alarm5xxPercent = new("alarm5xxPercent",
        "Alarm when more than this percentage of requests get a 5XX answer. 0: off.", 1);

    public static readonly PercentSetting Alarm4xxPercent = new("alarm4xxPercent",
        "Alarm when more than this percentage of requests get a 4XX answer (client mistakes, refused keys). 0: off.", 0);

    public static readonly PercentSetting Alarm429Percent = new("alarm429Percent",
        "Alarm when more than this percentage of requests are throttled (429, counted from the access log). 0: off.", 5);

    public static readonly IntegerSetting AlarmLatencyP99Ms = new("alarmLatencyP99Ms",
        "Alarm when the p99 of the gateway's latency is above this many milliseconds. 0: off.", 3000, 0, ApiDefinition.IntegrationTimeoutMilliseconds);

    public static readonly IntegerSetting AlarmFunctionErrors = new("alarmFunctionErrors",
        "Alarm when the items function fails (unhandled error or timeout) at least this often in a period. 0: off.", 1, 0, 1_000_000);

    public static readonly IntegerSetting AlarmFunctionThrottles = new("alarmFunctionThrottles",
        "Alarm when Lambda throttles the items function at least this often in a period. 0: off.", 1, 0, 1_000_000);

    public static readonly IntegerSetting AlarmConcurrencyPercent = new("alarmConcurrencyPercent",
        "Alarm when the function's concurrent executions reach this percentage of its limit (reservedConcurrency, or accountConcurrencyLimit). 0: off.",
        80, 0, 100);

    public static readonly IntegerSetting AccountConcurrencyLimit = new("accountConcurrencyLimit",
        "The account's Lambda concurrency limit in this region (Service Quotas), for the concurrency alarm when reservedConcurrency is 0.",
        1000, 10, 1_000_000);

    public static readonly IntegerSetting AlarmTableThrottles = new("alarmTableThrottles",
        "Alarm when DynamoDB throttles at least this many of the table's requests in a period. 0: off.", 1, 0, 1_000_000);

    public static readonly IntegerSetting AlarmTableSystemErrors = new("alarmTableSystemErrors",
        "Alarm when DynamoDB answers at least this many of the table's requests with a 500 in a period. 0: off.", 1, 0, 1_000_000);

    public static readonly IntegerSetting AlarmWafBlocked = new("alarmWafBlocked",
        "With wafRateLimit: alarm when the web ACL blocks at least this many requests in a period; WAF's blocks never reach the access log or the 429 alarm. 0: off.", 1, 0, 1_000_000);

    public static readonly TextSetting ApiKeyValue = new("apiKeyValue",
        $"The API key value, {ApiKeyRule.Text}; unique per account and region (API Gateway refuses a second key with the same value). Empty: generated. Set with --secret.",
        ApiKeyRule.Allows, ApiKeyRule.Text)
    { SetWithSecret = true };

    public static readonly IntegerSetting ApiKeyGeneration = new("apiKeyGeneration",
        "Which API key is current. Raise it by one to retire the old key after clients moved to the next one (see README: rotate the API key).",
        1, 1, 1_000_000);

    public static readonly BooleanSetting NextApiKey = new("nextApiKey",
        "Also issue the next API key (generation apiKeyGeneration + 1) on the same usage plan, output as nextApiKey, so clients can move over before the old key is retired.",
        false);

    public static readonly TextSetting NextApiKeyValue = new("nextApiKeyValue",
        $"The next API key's value (with nextApiKey), {ApiKeyRule.Text}, unique per account and region. Empty: generated. Set with --secret.",
        ApiKeyRule.Allows, ApiKeyRule.Text)
    { SetWithSecret = true };

    public static readonly TextSetting AuthorizerTokenHashes = new("authorizerTokenHashes",
        "Comma-separated SHA-256 hex hashes of accepted bearer tokens (authMode apiKey+authorizer). Set with --secret.",
        value => BearerTokenAuthorizer.SplitList(value) is { Count: > 0 } hashes && hashes.All(BearerTokenAuthorizer.IsValidHash),
        "comma-separated SHA-256 hashes, 64 hex characters each")
    { SetWithSecret = true };

    public static IReadOnlyList<ConfigSetting> All { get; } =
    [
        StageName, AuthMode, ApiImplementation, LambdaArchitecture, FunctionBuild, LambdaMemoryMb, LambdaTimeoutSeconds, SnapStart, ProvisionedConcurrency, PublishedVersionsToKeep, LambdaTracing,
        LogRetentionDays, AccessLogs, ExecutionLogLevel, ApiGatewayLoggingRole, RolePermissionsBoundary, MetricsEnabled,
        StageThrottleRateLimit, StageThrottleBurstLimit, UsagePlanRateLimit, UsagePlanBurstLimit, QuotaLimit, QuotaPeriod,
        AuthorizerCacheTtlSeconds, AuthorizerMemoryMb, AuthorizerReservedConcurrency, CorsAllowedOrigins, TableReadCapacity, TableWriteCapacity, PointInTimeRecovery, ProtectData, IdempotencyWindowHours,
        CustomDomainName, HostedZoneName, DisableExecuteApiEndpoint,
        ReservedConcurrency, WafRateLimit, WafRateWindowSeconds,
        Monitoring, AlarmEmail, AlarmPeriodSeconds, AlarmEvaluationPeriods, AlarmDatapointsToAlarm, Alarm5xxPercent, Alarm4xxPercent, Alarm429Percent,
        AlarmLatencyP99Ms, AlarmFunctionErrors, AlarmFunctionThrottles, AlarmConcurrencyPercent, AccountConcurrencyLimit, AlarmTableThrottles, AlarmTableSystemErrors, AlarmWafBlocked,
        ApiKeyValue, ApiKeyGeneration, NextApiKey, NextApiKeyValue, AuthorizerTokenHashes,
    ];
}
