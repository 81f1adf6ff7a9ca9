using ItemsApi.Core.Settings;

namespace ItemsApi.Core.Tests;

public class StageSettingsTests
{
    private static StageSettings Load(params (string Key, string Value)[] values)
    {
        var config = values.ToDictionary(v => v.Key, v => v.Value);
        return StageSettings.Load(key => config.GetValueOrDefault(key), "dev");
    }

    private static string ErrorFor(params (string Key, string Value)[] values) =>
        Assert.Throws<StageSettingsException>(() => Load(values)).Message;

    [Fact]
    public void Defaults_come_from_the_key_table()
    {
        StageSettings settings = Load();
        Assert.Equal("dev", settings.StageName);
        Assert.Equal(AuthMode.ApiKey, settings.AuthMode);
        Assert.Equal(ApiImplementation.Resources, settings.ApiImplementation);
        Assert.Equal("arm64", settings.LambdaArchitecture);
        Assert.Equal(int.Parse(ConfigKeys.LambdaMemoryMb.Default!), settings.LambdaMemoryMb);
        Assert.Equal(14, settings.LogRetentionDays);
        Assert.Equal("DAY", settings.QuotaPeriod);
        Assert.False(settings.ProvisionedBilling);
        Assert.Empty(settings.CorsAllowedOrigins);
        Assert.Null(settings.ApiKeyValue);
    }

    [Fact]
    public void Reads_values_as_pulumi_passes_them()
    {
        StageSettings settings = Load(("stageName", "prod"), ("authMode", "iam"), ("lambdaMemoryMb", "1024"),
            ("corsAllowedOrigins", """["https://a.example.com","http://localhost:5173"]"""), ("usagePlanRateLimit", "2.5"),
            ("tableReadCapacity", "5"), ("tableWriteCapacity", "3"), ("protectData", "true"));
        Assert.Equal("prod", settings.StageName);
        Assert.Equal(AuthMode.Iam, settings.AuthMode);
        Assert.Equal(1024, settings.LambdaMemoryMb);
        Assert.Equal(["https://a.example.com", "http://localhost:5173"], settings.CorsAllowedOrigins);
        Assert.Equal(2.5, settings.UsagePlanRateLimit);
        Assert.True(settings.ProvisionedBilling);
        Assert.True(settings.ProtectData);
    }

    [Theory]
    [InlineData("usagePlanBurstLimit", "5", "items-api:usagePlanBurstLimit = 5 is not valid; expected at least usagePlanRateLimit (10)")]
    [InlineData("quotaPeriod", "YEAR", "items-api:quotaPeriod = 'YEAR' is not valid; expected one of DAY, WEEK, MONTH")]
    [InlineData("logRetentionDays", "10", "items-api:logRetentionDays = '10' is not valid; expected one of 1, 3, 5, 7, 14")]
    [InlineData("authMode", "cognito", "expected one of apiKey, apiKey+authorizer, iam")]
    [InlineData("lambdaMemoryMb", "64", "expected a whole number from 128 to 10240")]
    [InlineData("lambdaTimeoutSeconds", "60", "expected a whole number from 1 to 29")]
    [InlineData("lambdaArchitecture", "arm", "expected one of arm64, x86_64")]
    [InlineData("stageName", "my stage", "items-api:stageName = 'my stage' is not valid")]
    [InlineData("stageName", "a-stage-name-that-is-much-too-long-for-lambda", "expected 1 to 40 letters")]
    [InlineData("corsAllowedOrigins", "https://a.example.com/app", "items-api:corsAllowedOrigins = 'https://a.example.com/app' is not valid")]
    [InlineData("tableReadCapacity", "5", "items-api:tableWriteCapacity = (unset) is not valid; expected set together with tableReadCapacity")]
    [InlineData("customDomainName", "api.example.com", "items-api:hostedZoneName = (unset) is not valid")]
    [InlineData("apiKeyValue", "short", "items-api:apiKeyValue = (secret) is not valid; expected 20 to 128 characters")]
    [InlineData("authMode", "apiKey+authorizer", "items-api:authorizerTokenHashes = (unset) is not valid")]
    [InlineData("metricsEnabled", "yes", "expected true or false")]
    [InlineData("stageThrottleRateLimit", "-1", "expected a number greater than 0")]
    [InlineData("authorizerCacheTtlSeconds", "7200", "expected a whole number from 0 to 3600")]
    public void Invalid_values_get_one_clear_error_naming_key_value_and_what_is_allowed(string key, string value, string expected) =>
        Assert.Contains(expected, ErrorFor((key, value)));

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var exception = Assert.Throws<StageSettingsException>(() => Load(("quotaPeriod", "YEAR"), ("lambdaMemoryMb", "1")));
        Assert.Equal(2, exception.Errors.Count);
    }

    [Fact]
    public void A_secret_value_is_never_echoed_in_errors() =>
        Assert.DoesNotContain("tooshort", ErrorFor(("apiKeyValue", "tooshort")));

    [Fact]
    public void Custom_domain_must_be_inside_the_hosted_zone() =>
        Assert.Contains("a name inside the hosted zone example.com", ErrorFor(("customDomainName", "api.other.com"), ("hostedZoneName", "example.com")));

    [Fact]
    public void Every_key_is_declared_once()
    {
        Assert.Equal(ConfigKeys.All.Count, ConfigKeys.All.Select(k => k.Name).Distinct().Count());
        Assert.All(ConfigKeys.All.Where(k => k.Secret), k => Assert.Null(k.Default));
    }
}
