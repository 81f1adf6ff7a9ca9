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
        Assert.Equal(LambdaArchitecture.Arm64, settings.LambdaArchitecture);
        Assert.Equal(FunctionBuild.NativeAot, settings.FunctionBuild);
        Assert.Equal(ConfigKeys.LambdaMemoryMb.Default, settings.LambdaMemoryMb);
        Assert.Equal(14, settings.LogRetentionDays);
        Assert.Equal(QuotaPeriod.Day, settings.QuotaPeriod);
        Assert.True(settings.AccessLogs);
        Assert.Equal(LoggingRoleMode.Shared, settings.ApiGatewayLoggingRole);
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

    [Fact]
    public void The_declared_empty_defaults_mean_unset()
    {
        // Pulumi hands the program every declared default: "" and 0 stand for "not set".
        StageSettings settings = Load(("stageName", ""), ("apiKeyValue", ""), ("authorizerTokenHashes", ""),
            ("tableReadCapacity", "0"), ("tableWriteCapacity", "0"), ("customDomainName", ""), ("hostedZoneName", ""), ("corsAllowedOrigins", "[]"));
        Assert.Equal("dev", settings.StageName);
        Assert.Null(settings.ApiKeyValue);
        Assert.Empty(settings.AuthorizerTokenHashes);
        Assert.False(settings.ProvisionedBilling);
        Assert.Null(settings.CustomDomainName);
        Assert.Empty(settings.CorsAllowedOrigins);
    }

    [Fact]
    public void Rates_take_decimals_written_as_text()
    {
        StageSettings settings = Load(("usagePlanRateLimit", "0.5"), ("usagePlanBurstLimit", "1"), ("stageThrottleRateLimit", "12.25"));
        Assert.Equal(0.5, settings.UsagePlanRateLimit);
        Assert.Equal(12.25, settings.StageThrottleRateLimit);
    }

    [Fact]
    public void A_stack_name_that_cannot_be_a_stage_name_asks_for_stageName() =>
        Assert.Contains("set stageName", Assert.Throws<StageSettingsException>(() => StageSettings.Load(_ => null, "my.stack")).Message);

    [Theory]
    [InlineData("usagePlanBurstLimit", "5", "items-api:usagePlanBurstLimit = 5 is not valid; expected at least usagePlanRateLimit (10)")]
    [InlineData("quotaPeriod", "YEAR", "items-api:quotaPeriod = 'YEAR' is not valid; expected one of DAY, WEEK, MONTH")]
    [InlineData("logRetentionDays", "10", "items-api:logRetentionDays = '10' is not valid; expected one of 1, 3, 5, 7, 14")]
    [InlineData("authMode", "cognito", "expected one of apiKey, apiKey+authorizer, iam")]
    [InlineData("lambdaMemoryMb", "64", "expected a whole number from 128 to 10240")]
    [InlineData("lambdaTimeoutSeconds", "29", "expected a whole number from 1 to 28")]
    [InlineData("lambdaArchitecture", "arm", "expected one of arm64, x86_64")]
    [InlineData("stageName", "my stage", "items-api:stageName = 'my stage' is not valid")]
    [InlineData("stageName", "a-stage-name-that-is-much-too-long-for-lambda", "expected 1 to 40 letters")]
    [InlineData("corsAllowedOrigins", "https://a.example.com/app", "items-api:corsAllowedOrigins = 'https://a.example.com/app' is not valid")]
    [InlineData("tableReadCapacity", "5", "items-api:tableWriteCapacity = (unset) is not valid; expected set together with tableReadCapacity")]
    [InlineData("tableReadCapacity", "-1", "expected a whole number from 0 to 40000")]
    [InlineData("usagePlanRateLimit", "1e3", "expected a number of requests per second")]
    [InlineData("apiGatewayLoggingRole", "none", "expected one of shared, external")]
    [InlineData("provisionedConcurrency", "1001", "expected a whole number from 0 to 1000")]
    [InlineData("customDomainName", "api.example.com", "items-api:hostedZoneName = (unset) is not valid")]
    [InlineData("apiKeyValue", "short", "items-api:apiKeyValue = (secret) is not valid; expected 20 to 128 characters")]
    [InlineData("authMode", "apiKey+authorizer", "items-api:authorizerTokenHashes = (unset) is not valid")]
    [InlineData("metricsEnabled", "yes", "expected true or false")]
    [InlineData("stageThrottleRateLimit", "-1", "expected a number of requests per second, greater than 0")]
    [InlineData("stageThrottleRateLimit", "0", "expected a number of requests per second, greater than 0")]
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
    public void Snapstart_and_provisioned_concurrency_are_one_or_the_other_and_need_the_explicit_resources()
    {
        Assert.Contains("items-api:provisionedConcurrency = 2 is not valid; expected 0 when snapStart is true",
            ErrorFor(("snapStart", "true"), ("provisionedConcurrency", "2")));
        Assert.Contains("items-api:apiImplementation = 'component' is not valid; expected resources with snapStart or provisionedConcurrency",
            ErrorFor(("snapStart", "true"), ("apiImplementation", "component")));
        Assert.True(Load(("provisionedConcurrency", "2")).UsesFunctionAlias);
        Assert.False(Load().UsesFunctionAlias);
    }

    [Theory]
    [InlineData("wafRateLimit", "5", "items-api:wafRateLimit = 5 is not valid; expected 0 (no web ACL) or at least 10")]
    [InlineData("wafRateWindowSeconds", "30", "expected one of 60, 120, 300, 600")]
    [InlineData("alarmPeriodSeconds", "90", "items-api:alarmPeriodSeconds = 90 is not valid; expected a multiple of 60")]
    [InlineData("alarmDatapointsToAlarm", "6", "items-api:alarmDatapointsToAlarm = 6 is not valid; expected at most alarmEvaluationPeriods (5)")]
    [InlineData("alarm5xxPercent", "101", "expected a percentage from 0 (off) to 100")]
    [InlineData("alarm5xxPercent", "-1", "expected a percentage from 0 (off) to 100")]
    [InlineData("alarmEmail", "ops@example.com", "items-api:alarmEmail = 'ops@example.com' is not valid; expected empty unless monitoring is true")]
    [InlineData("alarmConcurrencyPercent", "120", "expected a whole number from 0 to 100")]
    [InlineData("nextApiKeyValue", "next-key-0123456789abcdef", "items-api:nextApiKeyValue = (secret) is not valid; expected empty unless nextApiKey is true (after a rotation, move it into apiKeyValue")]
    [InlineData("apiKeyGeneration", "0", "expected a whole number from 1 to 1000000")]
    public void Operations_settings_are_validated_too(string key, string value, string expected) =>
        Assert.Contains(expected, ErrorFor((key, value)));

    [Theory]
    [InlineData("ops@example.com", true)]
    [InlineData("ops.team+alerts@mail.example.co.uk", true)]
    [InlineData("ops@localhost", false)]
    [InlineData("ops example.com", false)]
    [InlineData("a b@example.com", false)]
    [InlineData("@example.com", false)]
    [InlineData("ops@@example.com", false)]
    public void Alarm_email_must_look_like_an_address(string value, bool valid) =>
        Assert.Equal(valid, StageSettings.IsEmailAddress(value));

    [Fact]
    public void Cross_key_rules_for_the_ceiling_alarms_and_key_rotation()
    {
        Assert.Contains("items-api:reservedConcurrency = 2 is not valid; expected 0 or at least provisionedConcurrency (3)",
            ErrorFor(("reservedConcurrency", "2"), ("provisionedConcurrency", "3")));
        Assert.Equal(3, Load(("reservedConcurrency", "3"), ("provisionedConcurrency", "3")).ReservedConcurrency);
        // CloudWatch evaluates at most a day: 60 periods of an hour is too long, 24 is fine.
        Assert.Contains("items-api:alarmEvaluationPeriods = 30 is not valid; expected at most 24 with alarmPeriodSeconds 3600",
            ErrorFor(("alarmPeriodSeconds", "3600"), ("alarmEvaluationPeriods", "30")));
        Assert.Equal(24, Load(("alarmPeriodSeconds", "3600"), ("alarmEvaluationPeriods", "24")).Alarms.EvaluationPeriods);
        // The 429 rate is counted from the access log; a stage without one must turn that alarm off explicitly.
        Assert.Contains("items-api:alarm429Percent = '5' is not valid; expected 0 when the stage has no access log",
            ErrorFor(("monitoring", "true"), ("accessLogs", "false")));
        Assert.Contains("expected 0 when the stage has no access log", ErrorFor(("monitoring", "true"), ("apiImplementation", "component")));
        Assert.False(Load(("monitoring", "true"), ("accessLogs", "false"), ("alarm429Percent", "0")).HasAccessLog);
        Assert.Contains("items-api:nextApiKeyValue = (secret) is not valid; expected a value other than apiKeyValue",
            ErrorFor(("apiKeyValue", "same-key-0123456789abc"), ("nextApiKey", "true"), ("nextApiKeyValue", "same-key-0123456789abc")));
    }

    [Fact]
    public void Percentages_take_decimals_and_zero_means_off()
    {
        StageSettings settings = Load(("monitoring", "true"), ("alarm5xxPercent", "0.5"), ("alarm4xxPercent", "0"), ("alarmEmail", "ops@example.com"));
        Assert.Equal(0.5, settings.Alarms.Api5xxPercent);
        Assert.Equal(0, settings.Alarms.Api4xxPercent);
        Assert.Equal("ops@example.com", settings.AlarmEmail);
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
        // Pulumi requires a declared key without a default in every stack, so every key has one.
        Assert.All(ConfigKeys.All, k => Assert.NotNull(k.DeclaredDefault));
    }

    [Fact]
    public void Snapstart_needs_the_readytorun_build_and_the_error_names_both_keys()
    {
        // AWS Lambda Developer Guide, "Improving startup performance with Lambda SnapStart", Supported features and
        // limitations: SnapStart runs on the .NET 8+ managed runtimes; OS-only runtimes such as provided.al2023 are not supported.
        Assert.Contains("items-api:snapStart = 'true' is not valid; expected false when functionBuild is nativeAot: " +
                        "Lambda offers SnapStart for .NET only on the managed dotnet10 runtime; set functionBuild readyToRun to use it",
            ErrorFor(("snapStart", "true")));
        StageSettings managed = Load(("snapStart", "true"), ("functionBuild", "readyToRun"));
        Assert.True(managed.SnapStart);
        Assert.Equal(FunctionBuild.ReadyToRun, managed.FunctionBuild);
        Assert.Contains("items-api:functionBuild = 'jit' is not valid; expected one of nativeAot, readyToRun", ErrorFor(("functionBuild", "jit")));
    }

    [Fact]
    public void A_rotation_with_a_configured_key_value_needs_the_next_keys_own_value()
    {
        // API Gateway: a key's value is unique per account and region (CreateApiKey answers 409 ConflictException), and a
        // changed value replaces the key. When the next key becomes the current one, apiKeyValue would be applied to it
        // while the old key still holds that value.
        string error = ErrorFor(("apiKeyValue", "my-own-key-0123456789abc"), ("nextApiKey", "true"));
        Assert.Contains("items-api:nextApiKeyValue = (unset) is not valid; expected set when apiKeyValue is set and nextApiKey is true: " +
                        "when you raise apiKeyGeneration the next key becomes the current one", error);
        Assert.Contains("Give the next key its own value, or unset apiKeyValue so API Gateway generates both", error);
        // Generated values, or a value for each key, rotate safely.
        Assert.True(Load(("nextApiKey", "true")).NextApiKey);
        Assert.Equal("next-key-0123456789abcde",
            Load(("apiKeyValue", "my-own-key-0123456789abc"), ("nextApiKey", "true"), ("nextApiKeyValue", "next-key-0123456789abcde")).NextApiKeyValue);
    }

    [Fact]
    public void Reserved_and_provisioned_concurrency_leave_the_accounts_100_unreserved_executions()
    {
        // Lambda refuses a reservation that leaves fewer than 100 unreserved concurrent executions in the account and region.
        Assert.Contains("items-api:reservedConcurrency = 901 is not valid; expected at most 900: accountConcurrencyLimit (1000) minus the 100 executions Lambda keeps unreserved",
            ErrorFor(("reservedConcurrency", "901")));
        Assert.Equal(900, Load(("reservedConcurrency", "900")).ReservedConcurrency);
        Assert.Contains("items-api:provisionedConcurrency = 5 is not valid; expected 0: with accountConcurrencyLimit 10 nothing can be reserved",
            ErrorFor(("provisionedConcurrency", "5"), ("accountConcurrencyLimit", "10")));
        Assert.Contains("items-api:reservedConcurrency = 1 is not valid", ErrorFor(("reservedConcurrency", "1"), ("accountConcurrencyLimit", "100")));
        Assert.Equal(150, Load(("provisionedConcurrency", "150"), ("accountConcurrencyLimit", "250")).ProvisionedConcurrency);
    }

    [Fact]
    public void A_custom_domain_fits_an_acm_certificates_first_name_of_64_characters()
    {
        // ACM RequestCertificate: DomainName, the certificate's first name and subject CN, is 1 to 64 characters (RFC 5280's ub-common-name).
        string zone = "example.com";
        string fits = new string('a', 64 - zone.Length - 1) + "." + zone;
        Assert.Equal(fits, Load(("customDomainName", fits), ("hostedZoneName", zone)).CustomDomainName);
        Assert.Contains("items-api:customDomainName = 'a" , ErrorFor(("customDomainName", "a" + fits), ("hostedZoneName", zone)));
        Assert.Contains("at most 64 characters (an ACM certificate's first domain name", ErrorFor(("customDomainName", "a" + fits), ("hostedZoneName", zone)));
    }

    [Fact]
    public void Names_aws_overwrites_instead_of_refusing_are_scoped_by_stack_when_it_is_not_named_as_its_stage()
    {
        // PutMetricAlarm and PutDashboard overwrite an existing name, CreateTopic returns the existing topic: two stacks with
        // one stageName in one account would silently share alarms, dashboard and topic.
        Assert.Equal("dev", StageSettings.Load(_ => null, "dev").MonitoringScope);
        Assert.Equal("dev-alice", StageSettings.Load(key => key == "stageName" ? "dev" : null, "alice").MonitoringScope);
        Assert.Equal("dev-alice-2", StageSettings.Load(key => key == "stageName" ? "dev" : null, "alice.2").MonitoringScope); // dashboards allow no '.'
    }

    [Fact]
    public void A_rule_between_keys_never_judges_a_default_standing_in_for_an_invalid_value()
    {
        // 10000 is over the maximum: that is the one error, not also "200 is below the rate" about a value nobody wrote.
        var exception = Assert.Throws<StageSettingsException>(() => Load(("stageThrottleBurstLimit", "10000"), ("stageThrottleRateLimit", "300")));
        Assert.StartsWith("items-api:stageThrottleBurstLimit = '10000' is not valid; expected a whole number from 1 to 5000", Assert.Single(exception.Errors));
        // Nor a rule that compares against an invalid key's default.
        var rate = Assert.Throws<StageSettingsException>(() => Load(("stageThrottleRateLimit", "fast"), ("stageThrottleBurstLimit", "50")));
        Assert.Single(rate.Errors);
        Assert.StartsWith("items-api:stageThrottleRateLimit = 'fast' is not valid", rate.Errors[0]);
        // Valid values still meet the rule.
        Assert.Contains("items-api:stageThrottleBurstLimit = 50 is not valid; expected at least stageThrottleRateLimit (300)",
            ErrorFor(("stageThrottleRateLimit", "300"), ("stageThrottleBurstLimit", "50")));
    }
}
