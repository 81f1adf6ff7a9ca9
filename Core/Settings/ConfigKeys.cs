namespace ItemsApi.Core.Settings;

/// <summary>The type a config key is declared with in Pulumi.yaml.</summary>
public enum ConfigType { String, Integer, Number, Boolean, Array }

/// <summary>One stack config key: its name, declared type, default (null: none) and what it does.</summary>
public sealed record ConfigKey(string Name, ConfigType Type, string? Default, string Description, bool Secret = false);

/// <summary>
/// Every config key the stack reads, in one table. Pulumi.yaml declares the same keys (a test keeps
/// the two in step); the README's config reference is written from here.
/// </summary>
public static class ConfigKeys
{
    /// <summary>The Pulumi project name, which is also the config namespace (<c>items-api:authMode</c>).</summary>
    public const string Project = "items-api";

    public static readonly ConfigKey StageName = new("stageName", ConfigType.String, null, "API Gateway stage name, 1 to 40 letters, digits, - or _. Default: the stack name.");
    public static readonly ConfigKey AuthMode = new("authMode", ConfigType.String, "apiKey", "apiKey | apiKey+authorizer | iam. An API key is required in every mode.");
    public static readonly ConfigKey ApiImplementation = new("apiImplementation", ConfigType.String, "resources", "resources (explicit REST resource tree) | component (Pulumi.AwsApiGateway RestAPI).");
    public static readonly ConfigKey LambdaArchitecture = new("lambdaArchitecture", ConfigType.String, "arm64", "arm64 | x86_64.");
    public static readonly ConfigKey LambdaMemoryMb = new("lambdaMemoryMb", ConfigType.Integer, "512", "Function memory in MB, 128 to 10240.");
    public static readonly ConfigKey LambdaTimeoutSeconds = new("lambdaTimeoutSeconds", ConfigType.Integer, "10", "Function timeout in seconds, 1 to 29 (API Gateway stops waiting at 29 s).");
    public static readonly ConfigKey LambdaTracing = new("lambdaTracing", ConfigType.Boolean, "false", "X-Ray active tracing for the function.");
    public static readonly ConfigKey LogRetentionDays = new("logRetentionDays", ConfigType.Integer, "14", "Retention of the function and access log groups, in a value CloudWatch accepts.");
    public static readonly ConfigKey ExecutionLogLevel = new("executionLogLevel", ConfigType.String, "OFF", "API Gateway execution logs: OFF | ERROR | INFO. Needs the region's API Gateway CloudWatch role (see manageApiGatewayAccount).");
    public static readonly ConfigKey MetricsEnabled = new("metricsEnabled", ConfigType.Boolean, "true", "Detailed CloudWatch metrics for every method.");
    public static readonly ConfigKey StageThrottleRateLimit = new("stageThrottleRateLimit", ConfigType.Number, "100", "Stage-wide steady request rate per second (all callers).");
    public static readonly ConfigKey StageThrottleBurstLimit = new("stageThrottleBurstLimit", ConfigType.Integer, "200", "Stage-wide burst (all callers); at least the rate.");
    public static readonly ConfigKey UsagePlanRateLimit = new("usagePlanRateLimit", ConfigType.Number, "10", "Usage plan: steady requests per second per API key.");
    public static readonly ConfigKey UsagePlanBurstLimit = new("usagePlanBurstLimit", ConfigType.Integer, "20", "Usage plan: burst per API key; at least the rate.");
    public static readonly ConfigKey QuotaLimit = new("quotaLimit", ConfigType.Integer, "10000", "Usage plan: requests per API key per quota period.");
    public static readonly ConfigKey QuotaPeriod = new("quotaPeriod", ConfigType.String, "DAY", "Usage plan quota period: DAY | WEEK | MONTH.");
    public static readonly ConfigKey AuthorizerCacheTtlSeconds = new("authorizerCacheTtlSeconds", ConfigType.Integer, "300", "How long API Gateway caches an authorizer decision, 0 to 3600 seconds.");
    public static readonly ConfigKey CorsAllowedOrigins = new("corsAllowedOrigins", ConfigType.Array, "[]", "Browser origins allowed to call the API (e.g. https://app.example.com, or *). Empty: no CORS.");
    public static readonly ConfigKey TableReadCapacity = new("tableReadCapacity", ConfigType.Integer, null, "Set with tableWriteCapacity for provisioned billing. Unset: on-demand.");
    public static readonly ConfigKey TableWriteCapacity = new("tableWriteCapacity", ConfigType.Integer, null, "Set with tableReadCapacity for provisioned billing. Unset: on-demand.");
    public static readonly ConfigKey PointInTimeRecovery = new("pointInTimeRecovery", ConfigType.Boolean, "true", "DynamoDB point-in-time recovery for the table.");
    public static readonly ConfigKey ProtectData = new("protectData", ConfigType.Boolean, "false", "Deletion protection on the table and Pulumi protect on it (prod: true).");
    public static readonly ConfigKey ManageApiGatewayAccount = new("manageApiGatewayAccount", ConfigType.Boolean, "false", "Create the region's API Gateway CloudWatch role and account setting, needed for access and execution logs (one per account and region; kept on destroy).");
    public static readonly ConfigKey CustomDomainName = new("customDomainName", ConfigType.String, null, "Optional custom domain, e.g. api.example.com (needs hostedZoneName).");
    public static readonly ConfigKey HostedZoneName = new("hostedZoneName", ConfigType.String, null, "Route53 public hosted zone for customDomainName, e.g. example.com.");
    public static readonly ConfigKey ApiKeyValue = new("apiKeyValue", ConfigType.String, null, "The API key value, 20 to 128 characters. Unset: generated. Set with --secret.", Secret: true);
    public static readonly ConfigKey AuthorizerTokenHashes = new("authorizerTokenHashes", ConfigType.String, null, "Comma-separated SHA-256 hex hashes of accepted bearer tokens (authMode apiKey+authorizer). Set with --secret.", Secret: true);

    public static IReadOnlyList<ConfigKey> All { get; } =
    [
        StageName, AuthMode, ApiImplementation, LambdaArchitecture, LambdaMemoryMb, LambdaTimeoutSeconds, LambdaTracing,
        LogRetentionDays, ExecutionLogLevel, MetricsEnabled, StageThrottleRateLimit, StageThrottleBurstLimit,
        UsagePlanRateLimit, UsagePlanBurstLimit, QuotaLimit, QuotaPeriod, AuthorizerCacheTtlSeconds, CorsAllowedOrigins,
        TableReadCapacity, TableWriteCapacity, PointInTimeRecovery, ProtectData, ManageApiGatewayAccount,
        CustomDomainName, HostedZoneName, ApiKeyValue, AuthorizerTokenHashes,
    ];
}
