using ItemsApi.Core.Auth;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Tests;

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
        Assert.Equal(24, settings.IdempotencyWindowHours);
    }

    [Fact]
    public void The_idempotency_window_is_read_and_a_value_out_of_bounds_is_refused_with_what_is_allowed()
    {
        Assert.Equal(72, Load(("idempotencyWindowHours", "72")).IdempotencyWindowHours);
        string error = ErrorFor(("idempotencyWindowHours", "0"));
        Assert.Contains("idempotencyWindowHours", error);
        Assert.Contains("a whole number from 1 to 168", error);
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

    [Theory]
    [InlineData("apiKeyValue", "my-own-key-value-0123456789")]
    [InlineData("nextApiKeyValue", "next-key-value-0123456789")]
    [InlineData("authorizerTokenHashes", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")]
    public void A_secret_key_in_plain_text_is_an_error_naming_the_command_that_encrypts_it(string key, string value)
    {
        var config = new Dictionary<string, string> { [key] = value };
        if (key == "nextApiKeyValue") config["nextApiKey"] = "true";
        if (key == "authorizerTokenHashes") config["authMode"] = "apiKey+authorizer";
        var error = Assert.Throws<StageSettingsException>(() => StageSettings.Load(config.GetValueOrDefault, "prod", isEncrypted: _ => false));
        Assert.Contains($"items-api:{key} = (secret) is not valid; expected an encrypted value: it is in plain text in Pulumi.prod.yaml. " +
            $"Set it with `pulumi config set --secret {key} <value>`.", error.Message);
        Assert.DoesNotContain(value, error.Message);

        // Encrypted, the same value loads; and a plain key that is not secret is fine.
        StageSettings.Load(config.GetValueOrDefault, "prod", isEncrypted: k => k == key);
        StageSettings.Load(new Dictionary<string, string> { ["quotaLimit"] = "5" }.GetValueOrDefault, "prod", isEncrypted: _ => false);
    }

    [Fact]
    public void Every_secret_key_is_checked_and_an_empty_one_counts_as_unset()
    {
        Assert.Equal(["apiKeyValue", "nextApiKeyValue", "authorizerTokenHashes"], ConfigKeys.All.Where(k => k.SetWithSecret).Select(k => k.Name));
        StageSettings settings = StageSettings.Load(k => k == "apiKeyValue" ? "" : null, "dev", isEncrypted: _ => false);
        Assert.Null(settings.ApiKeyValue);
    }

    [Theory]
    [InlineData("items-api-dev-boundary")]
    [InlineData("a")]
    [InlineData("Boundary+=,.@_-1")]
    [InlineData("arn:aws:iam::123456789012:policy/items-api-dev-boundary")]
    [InlineData("arn:aws:iam::123456789012:policy/org/team/workload-boundary")]
    [InlineData("arn:aws-us-gov:iam::123456789012:policy/b")]
    [InlineData("arn:aws:iam::aws:policy/PowerUserAccess")]
    public void A_permissions_boundary_is_a_policy_name_or_arn(string value) =>
        Assert.Equal(value, Load(("rolePermissionsBoundary", value)).RolePermissionsBoundary);

    [Theory]
    [InlineData("has space")]
    [InlineData("ünïcode")]
    [InlineData("arn:aws:iam::12345678901:policy/short-account")]
    [InlineData("arn:aws:iam::123456789012:role/not-a-policy")]
    [InlineData("arn:aws:s3:::bucket")]
    public void Anything_else_is_not_a_permissions_boundary(string value) =>
        Assert.Equal($"Invalid stack configuration:{Environment.NewLine}  - items-api:rolePermissionsBoundary = '{value}' is not valid; expected an IAM policy name " +
            "(1 to 128 letters, digits or +=,.@_-) or a policy ARN (arn:aws:iam::<account-id>:policy/<name>).", ErrorFor(("rolePermissionsBoundary", value)));

    [Fact]
    public void A_permissions_boundary_name_is_at_most_128_characters()
    {
        Assert.NotNull(Load(("rolePermissionsBoundary", new string('b', 128))).RolePermissionsBoundary);
        Assert.Contains("rolePermissionsBoundary", ErrorFor(("rolePermissionsBoundary", new string('b', 129))));
    }

    [Fact]
    public void The_name_prefix_and_tag_scope_a_stage()
    {
        StageSettings settings = Load(("stageName", "blue"));
        Assert.Equal("items-api-blue", settings.NamePrefix);
        Assert.Equal("items-api:stage", StageSettings.StageTagKey);
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
        Assert.Equal("dev--alice", StageSettings.Load(key => key == "stageName" ? "dev" : null, "alice").MonitoringScope);
        Assert.Equal("dev--alice_d2", StageSettings.Load(key => key == "stageName" ? "dev" : null, "alice.2").MonitoringScope); // dashboards allow no '.'
    }

    /// <summary>
    /// The scope is injective: stage "a" in stack "b" and stage "a-b" in stack "a-b" (or "a-b_c" and "a-b.c" as stacks)
    /// used to share alarms, topic and dashboard. Property: over many pairs, built to share prefixes, '-', '_' and '.',
    /// different pairs give different scopes, and each scope decodes back to its pair.
    /// </summary>
    [Fact]
    public void Different_stage_and_stack_pairs_never_share_a_monitoring_scope()
    {
        var random = new Random(26);
        string Name(string alphabet, int max) => new([.. Enumerable.Range(0, random.Next(1, max + 1)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
        var pairs = new HashSet<(string Stage, string Stack)> { ("a", "b"), ("a-b", "a-b"), ("a", "b.c"), ("a", "b_c"), ("a-b", "c"), ("a", "b--c"), ("a--b", "c") };
        while (pairs.Count < 20_000)
        {
            string stage = Name("ab-_", 6);
            pairs.Add((stage, random.Next(4) == 0 ? stage : Name("ab-_.", 6)));
        }
        var owners = new Dictionary<string, (string Stage, string Stack)>();
        foreach ((string stage, string stack) in pairs.Where(p => StageSettings.IsStageName(p.Stage)))
        {
            string scope = StageSettings.Load(key => key == "stageName" ? stage : null, stack).MonitoringScope;
            Assert.True(owners.TryAdd(scope, (stage, stack)), $"({stage}, {stack}) and {owners.GetValueOrDefault(scope)} share the scope {scope}");
            Assert.Equal((stage, stack), Decode(scope));
        }
        Assert.True(owners.Count > 5_000);
        Assert.False(StageSettings.IsStageName("a--b"));
        Assert.False(StageSettings.IsStageName("a-"));
    }

    /// <summary>The scope's inverse: the stage ends at the first "--", and the stack is unescaped.</summary>
    private static (string Stage, string Stack) Decode(string scope)
    {
        int separator = scope.IndexOf(StageSettings.MonitoringScopeSeparator, StringComparison.Ordinal);
        if (separator < 0) return (scope, scope);
        var stack = new System.Text.StringBuilder();
        string escaped = scope[(separator + 2)..];
        for (int i = 0; i < escaped.Length; i++)
            stack.Append(escaped[i] != '_' ? escaped[i] : escaped[++i] == 'u' ? '_' : '.');
        return (scope[..separator], stack.ToString());
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
        // A rule about other keys is still reported next to an invalid key's own error.
        var both = Assert.Throws<StageSettingsException>(() => Load(("quotaPeriod", "YEAR"), ("usagePlanBurstLimit", "5")));
        Assert.Equal(["items-api:quotaPeriod = 'YEAR' is not valid; expected one of DAY, WEEK, MONTH.",
                      "items-api:usagePlanBurstLimit = 5 is not valid; expected at least usagePlanRateLimit (10): a burst below the rate would cap it."], both.Errors);
        // Valid values still meet the rule.
        Assert.Contains("items-api:stageThrottleBurstLimit = 50 is not valid; expected at least stageThrottleRateLimit (300)",
            ErrorFor(("stageThrottleRateLimit", "300"), ("stageThrottleBurstLimit", "50")));
    }

    [Theory]
    [InlineData("stageThrottleRateLimit", "stageThrottleBurstLimit")]
    [InlineData("usagePlanRateLimit", "usagePlanBurstLimit")]
    public void A_burst_equal_to_its_rate_is_accepted_and_one_below_a_fractional_rate_is_not(string rateKey, string burstKey)
    {
        StageSettings equal = Load((rateKey, "20"), (burstKey, "20"));
        Assert.Equal(20, rateKey.StartsWith("stage") ? equal.StageThrottleBurstLimit : equal.UsagePlanBurstLimit);
        Assert.Equal(20, rateKey.StartsWith("stage") ? equal.StageThrottleRateLimit : equal.UsagePlanRateLimit);
        Assert.Equal($"items-api:{burstKey} = 20 is not valid; expected at least {rateKey} (20.5): a burst below the rate would cap it.",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load((rateKey, "20.5"), (burstKey, "20"))).Errors));
    }

    [Fact]
    public void Logs_need_the_regions_logging_role_and_the_stack_declares_it_only_when_shared()
    {
        // Access logs and execution logs each need the account's API Gateway CloudWatch role.
        Assert.True(Load().NeedsLoggingRole);
        Assert.True(Load().DeclaresLoggingRole);
        StageSettings noLogs = Load(("accessLogs", "false"), ("alarm429Percent", "0"));
        Assert.False(noLogs.NeedsLoggingRole);
        Assert.False(noLogs.DeclaresLoggingRole);
        foreach (string level in new[] { "ERROR", "INFO" })
        {
            StageSettings executionLogsOnly = Load(("accessLogs", "false"), ("executionLogLevel", level));
            Assert.True(executionLogsOnly.NeedsLoggingRole, level);
            Assert.True(executionLogsOnly.DeclaresLoggingRole, level);
        }
        // external: the account setting is someone else's; the stack still needs it, but leaves it alone.
        StageSettings external = Load(("apiGatewayLoggingRole", "external"));
        Assert.True(external.NeedsLoggingRole);
        Assert.False(external.DeclaresLoggingRole);
        Assert.False(Load(("apiGatewayLoggingRole", "external"), ("accessLogs", "false")).DeclaresLoggingRole);
    }

    [Fact]
    public void The_execute_api_endpoint_is_off_only_with_a_custom_domain_the_switch_on_and_the_explicit_resources()
    {
        (string, string)[] domain = [("customDomainName", "api.example.com"), ("hostedZoneName", "example.com")];
        Assert.True(Load(domain).ExecuteApiEndpointDisabled);
        Assert.False(Load().ExecuteApiEndpointDisabled);                       // the switch defaults to true, but there is no domain
        Assert.True(Load().DisableExecuteApiEndpoint);
        Assert.False(Load([.. domain, ("disableExecuteApiEndpoint", "false")]).ExecuteApiEndpointDisabled);
        Assert.False(Load([.. domain, ("apiImplementation", "component")]).ExecuteApiEndpointDisabled);
    }

    [Fact]
    public void The_stage_writes_an_access_log_only_with_access_logs_on_and_the_explicit_resources()
    {
        Assert.True(Load().HasAccessLog);
        Assert.False(Load(("apiImplementation", "component")).HasAccessLog);
        Assert.False(Load(("accessLogs", "false")).HasAccessLog);
    }

    [Fact]
    public void The_concurrency_limit_is_the_functions_own_ceiling_or_else_the_accounts()
    {
        Assert.Equal(1000, Load().ConcurrencyLimit);
        Assert.Equal(50, Load(("reservedConcurrency", "50")).ConcurrencyLimit);
        Assert.Equal(2000, Load(("accountConcurrencyLimit", "2000")).ConcurrencyLimit);
    }

    [Fact]
    public void Provisioned_billing_takes_both_capacities_and_either_alone_names_the_other()
    {
        StageSettings provisioned = Load(("tableReadCapacity", "5"), ("tableWriteCapacity", "3"));
        Assert.Equal((5, 3), (provisioned.TableReadCapacity, provisioned.TableWriteCapacity));
        Assert.Equal("items-api:tableReadCapacity = (unset) is not valid; expected set together with tableWriteCapacity for provisioned billing, or leave both at 0 for on-demand.",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("tableWriteCapacity", "3"))).Errors));
        Assert.Equal("items-api:tableWriteCapacity = (unset) is not valid; expected set together with tableReadCapacity for provisioned billing, or leave both at 0 for on-demand.",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("tableReadCapacity", "5"))).Errors));
        Assert.Equal(40_000, Load(("tableReadCapacity", "40000"), ("tableWriteCapacity", "40000")).TableReadCapacity);
    }

    [Fact]
    public void A_custom_domain_and_its_zone_come_together_and_the_zone_may_end_with_a_dot()
    {
        Assert.Equal("items-api:customDomainName = (unset) is not valid; expected set together with hostedZoneName.",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("hostedZoneName", "example.com"))).Errors));
        Assert.Equal("items-api:hostedZoneName = (unset) is not valid; expected set together with customDomainName.",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("customDomainName", "api.example.com"))).Errors));
        Assert.Equal("items-api:customDomainName = 'api.other.com' is not valid; expected a name inside the hosted zone example.com.",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("customDomainName", "api.other.com"), ("hostedZoneName", "example.com"))).Errors));
        Assert.Equal("API.Example.com", Load(("customDomainName", "API.Example.com"), ("hostedZoneName", "example.com.")).CustomDomainName);
        // The zone itself, or a name that only ends with the zone's text, is not inside it.
        Assert.Contains("a name inside the hosted zone", ErrorFor(("customDomainName", "example.com"), ("hostedZoneName", "example.com")));
        Assert.Contains("a name inside the hosted zone", ErrorFor(("customDomainName", "apiexample.com"), ("hostedZoneName", "example.com")));
        Assert.Contains("items-api:hostedZoneName = 'example' is not valid; expected a DNS zone such as example.com.", ErrorFor(("customDomainName", "api.example.com"), ("hostedZoneName", "example")));
    }

    [Theory]
    [InlineData("api.example.com", true)]
    [InlineData("a-b.c-d.example.co.uk", true)]
    [InlineData("localhost", false)]                 // one label
    [InlineData("-api.example.com", false)]          // a label starts and ends with a letter or digit
    [InlineData("api-.example.com", false)]
    [InlineData("api..example.com", false)]
    [InlineData("api.example.c", false)]             // the top-level domain has two letters or more
    [InlineData("api.example.123", false)]
    [InlineData("api_x.example.com", false)]
    [InlineData("api.example.com.", false)]
    public void Domain_names_are_dns_names_of_two_labels_or_more(string name, bool valid) =>
        Assert.Equal(valid, StageSettings.IsDomainName(name));

    [Fact]
    public void A_domain_label_has_at_most_63_characters_and_a_name_at_most_253()
    {
        Assert.True(StageSettings.IsDomainName(new string('a', 63) + ".com"));
        Assert.False(StageSettings.IsDomainName(new string('a', 64) + ".com"));
        string label = new string('a', 61) + ".";                                   // 62 characters
        Assert.True(StageSettings.IsDomainName(string.Concat(Enumerable.Repeat(label, 4)) + "abcd"));   // 252
        Assert.True(StageSettings.IsDomainName(string.Concat(Enumerable.Repeat(label, 4)) + "abcde"));  // 253
        Assert.False(StageSettings.IsDomainName(string.Concat(Enumerable.Repeat(label, 4)) + "abcdef")); // 254
    }

    [Theory]
    [InlineData("*", true)]
    [InlineData("https://app.example.com", true)]
    [InlineData("http://localhost:5173", true)]
    [InlineData("https://app.example.com/", false)]  // an Origin header never ends with a slash
    [InlineData("https://app.example.com/app", false)]
    [InlineData("https://app.example.com?x=1", false)]
    [InlineData("https://user@app.example.com", false)]
    [InlineData("ftp://app.example.com", false)]
    [InlineData("app.example.com", false)]
    [InlineData("**", false)]
    public void Cors_origins_are_star_or_a_scheme_and_host(string origin, bool valid) =>
        Assert.Equal(valid, StageSettings.IsOrigin(origin));

    [Fact]
    public void Cors_origins_are_read_as_a_json_array_or_a_comma_separated_list()
    {
        Assert.Equal(["https://a.example.com", "https://b.example.com"],
            Load(("corsAllowedOrigins", " https://a.example.com, ,https://b.example.com ")).CorsAllowedOrigins);
        Assert.Equal(["*"], Load(("corsAllowedOrigins", """ ["*"]""")).CorsAllowedOrigins);
        Assert.Empty(Load(("corsAllowedOrigins", "[ ]")).CorsAllowedOrigins);
        const string expected = "expected a list of \"*\" or origins like https://app.example.com (scheme and host, no path).";
        Assert.Equal($"items-api:corsAllowedOrigins = '[\"https://a.example.com\"' is not valid; {expected}",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("corsAllowedOrigins", """["https://a.example.com" """.TrimEnd()))).Errors));
        Assert.Contains(expected, ErrorFor(("corsAllowedOrigins", """["https://a.example.com", null]""")));
        Assert.Contains(expected, ErrorFor(("corsAllowedOrigins", "null")));
        Assert.Contains(expected, ErrorFor(("corsAllowedOrigins", "[1]")));
    }

    [Theory]
    [InlineData("lambdaMemoryMb", "128", "10240", "127", "10241")]
    [InlineData("lambdaTimeoutSeconds", "1", "28", "0", "29")]
    [InlineData("stageThrottleBurstLimit", "1", "5000", "0", "5001")]
    [InlineData("authorizerCacheTtlSeconds", "0", "3600", "-1", "3601")]
    [InlineData("alarmLatencyP99Ms", "0", "29000", "-1", "29001")]
    [InlineData("accountConcurrencyLimit", "10", "1000000", "9", "1000001")]
    public void Whole_numbers_are_accepted_from_their_minimum_to_their_maximum_inclusive(string key, string min, string max, string below, string above)
    {
        // The burst's own range is checked against a rate that fits it, so only the range is tested.
        (string, string) rate = ("stageThrottleRateLimit", "1");
        Assert.Equal(int.Parse(min), Read(Load((key, min), rate)));
        Assert.Equal(int.Parse(max), Read(Load((key, max), rate)));
        foreach (string value in new[] { below, above })
            Assert.Equal($"items-api:{key} = '{value}' is not valid; expected a whole number from {min} to {max}.",
                Assert.Single(Assert.Throws<StageSettingsException>(() => Load((key, value), rate)).Errors));

        int Read(StageSettings s) => key switch
        {
            "lambdaMemoryMb" => s.LambdaMemoryMb,
            "lambdaTimeoutSeconds" => s.LambdaTimeoutSeconds,
            "stageThrottleBurstLimit" => s.StageThrottleBurstLimit,
            "authorizerCacheTtlSeconds" => s.AuthorizerCacheTtlSeconds,
            "alarmLatencyP99Ms" => s.Alarms.LatencyP99Ms,
            _ => s.Alarms.AccountConcurrencyLimit,
        };
    }

    [Theory]
    [InlineData("+256", true)]   // a leading sign is a number as Pulumi passes it
    [InlineData("256.0", false)]
    [InlineData(" 256", false)]
    [InlineData("0x100", false)]
    [InlineData("2,560", false)]
    public void Whole_numbers_are_plain_digits(string raw, bool valid) =>
        Assert.Equal(valid, ConfigKeys.LambdaMemoryMb.TryParse(raw, out _));

    [Theory]
    [InlineData("10000", true)]
    [InlineData("0.001", true)]
    [InlineData("10000.5", false)]
    [InlineData("0", false)]
    [InlineData("1,5", false)]
    [InlineData("1e3", false)]
    [InlineData("-5", false)]
    public void Rates_are_above_zero_and_at_most_ten_thousand(string raw, bool valid)
    {
        Assert.Equal(valid, ConfigKeys.UsagePlanRateLimit.TryParse(raw, out double rate));
        if (valid) Assert.Equal(double.Parse(raw, System.Globalization.CultureInfo.InvariantCulture), rate);
    }

    [Fact]
    public void A_rate_out_of_range_says_what_a_rate_is()
    {
        Assert.Equal("items-api:usagePlanRateLimit = '10001' is not valid; expected a number of requests per second, greater than 0 and at most 10000 (e.g. 0.5 or 20).",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("usagePlanRateLimit", "10001"), ("usagePlanBurstLimit", "5000"))).Errors));
        Assert.Equal("100", ConfigKeys.StageThrottleRateLimit.DeclaredDefault);
        Assert.Equal("0.5", new RateSetting("r", "", 0.5).DeclaredDefault); // written with a point whatever the machine's culture
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("100", true)]
    [InlineData("0.25", true)]
    [InlineData("100.01", false)]
    [InlineData("-0.5", false)]
    [InlineData("5%", false)]
    public void Percentages_are_from_0_to_100(string raw, bool valid) =>
        Assert.Equal(valid, ConfigKeys.Alarm5xxPercent.TryParse(raw, out _));

    [Theory]
    [InlineData("True")]
    [InlineData("1")]
    [InlineData("yes")]
    public void Booleans_are_written_true_or_false(string raw)
    {
        Assert.False(ConfigKeys.ProtectData.TryParse(raw, out _));
        Assert.Equal($"items-api:protectData = '{raw}' is not valid; expected true or false.", Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("protectData", raw))).Errors));
        Assert.True(ConfigKeys.ProtectData.TryParse("false", out bool off) && !off);
        Assert.True(ConfigKeys.ProtectData.TryParse("true", out bool on) && on);
    }

    [Fact]
    public void Choices_are_case_sensitive_words()
    {
        Assert.Equal("items-api:quotaPeriod = 'day' is not valid; expected one of DAY, WEEK, MONTH.",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("quotaPeriod", "day"))).Errors));
        Assert.Equal(QuotaPeriod.Month, Load(("quotaPeriod", "MONTH")).QuotaPeriod);
        Assert.Equal(ExecutionLogLevel.Info, Load(("executionLogLevel", "INFO")).ExecutionLogLevel);
        Assert.Equal(LambdaArchitecture.X86_64, Load(("lambdaArchitecture", "x86_64")).LambdaArchitecture);
        Assert.Equal(["apiKey", "apiKey+authorizer", "iam"], ConfigKeys.AuthMode.Words);
        Assert.Equal("apiKey+authorizer", ConfigKeys.AuthMode.WordFor(AuthMode.ApiKeyAndAuthorizer));
        // A value given no word is a mistake in the key's declaration, caught where the word is needed (its Pulumi.yaml default).
        var partial = new ChoiceSetting<AuthMode>("authMode", "d", AuthMode.Iam, [("apiKey", AuthMode.ApiKey)]);
        Assert.Throws<InvalidOperationException>(() => partial.DeclaredDefault);
    }

    [Fact]
    public void A_stack_name_that_is_not_a_stage_name_gets_the_rule_and_the_key_to_set()
    {
        var exception = Assert.Throws<StageSettingsException>(() => StageSettings.Load(_ => null, "my.stack"));
        Assert.Equal("items-api:stageName = 'my.stack' is not valid; expected 1 to 40 letters, digits, '-' or '_', without '--' and not ending with '-' (function names are built from it; '--' separates stage and stack in monitoring names) (the stack name 'my.stack' is not: set stageName).",
            Assert.Single(exception.Errors));
        Assert.Equal("Invalid stack configuration:" + Environment.NewLine + "  - " + exception.Errors[0], exception.Message);
        Assert.Equal(new string('a', 40), Load(("stageName", new string('a', 40))).StageName);
        Assert.Equal("my-stage_2", Load(("stageName", "my-stage_2")).StageName);
    }

    [Fact]
    public void The_authorizer_mode_needs_at_least_one_token_hash_of_64_hex_characters()
    {
        Assert.Equal("items-api:authorizerTokenHashes = (unset) is not valid; expected at least one hash when authMode is apiKey+authorizer (pulumi config set --secret authorizerTokenHashes <sha256>).",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("authMode", "apiKey+authorizer"))).Errors));
        string hash = BearerTokenAuthorizer.HashToken("a-token");
        Assert.Equal([hash, hash.ToUpperInvariant()], Load(("authMode", "apiKey+authorizer"), ("authorizerTokenHashes", $"{hash}, {hash.ToUpperInvariant()}")).AuthorizerTokenHashes);
        Assert.Equal("items-api:authorizerTokenHashes = (secret) is not valid; expected comma-separated SHA-256 hashes, 64 hex characters each.",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("authorizerTokenHashes", hash[..63]))).Errors));
        Assert.False(ConfigKeys.AuthorizerTokenHashes.TryParse(" , ", out _));
    }

    [Fact]
    public void Api_key_values_have_20_to_128_characters()
    {
        Assert.Equal(new string('k', 20), Load(("apiKeyValue", new string('k', 20))).ApiKeyValue);
        Assert.Equal(new string('k', 128), Load(("apiKeyValue", new string('k', 128))).ApiKeyValue);
        Assert.Contains("items-api:apiKeyValue = (secret) is not valid; expected 20 to 128 characters.", ErrorFor(("apiKeyValue", new string('k', 19))));
        Assert.Contains("items-api:apiKeyValue = (secret) is not valid", ErrorFor(("apiKeyValue", new string('k', 129))));
        (string, string) rotating = ("nextApiKey", "true");
        Assert.Equal(new string('n', 20), Load(rotating, ("nextApiKeyValue", new string('n', 20))).NextApiKeyValue);
        Assert.Equal(new string('n', 128), Load(rotating, ("nextApiKeyValue", new string('n', 128))).NextApiKeyValue);
        Assert.Contains("items-api:nextApiKeyValue = (secret) is not valid; expected 20 to 128 characters.", ErrorFor(rotating, ("nextApiKeyValue", new string('n', 129))));
        Assert.Contains("items-api:nextApiKeyValue = (secret) is not valid", ErrorFor(rotating, ("nextApiKeyValue", new string('n', 19))));
    }

    [Fact]
    public void The_waf_ceiling_is_off_at_0_and_otherwise_at_least_10()
    {
        Assert.Equal(10, Load(("wafRateLimit", "10")).WafRateLimit);
        Assert.Equal(0, Load(("wafRateLimit", "0")).WafRateLimit);
        Assert.Equal("items-api:wafRateLimit = 9 is not valid; expected 0 (no web ACL) or at least 10, the smallest limit a WAF rate-based rule takes.",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("wafRateLimit", "9"))).Errors));
        Assert.Equal(600, Load(("wafRateWindowSeconds", "600")).WafRateWindowSeconds);
    }

    [Fact]
    public void An_alarm_may_need_every_period_it_looks_at_and_look_at_most_one_day()
    {
        Assert.Equal(5, Load(("alarmDatapointsToAlarm", "5"), ("alarmEvaluationPeriods", "5")).Alarms.DatapointsToAlarm);
        Assert.Equal(120, Load(("alarmPeriodSeconds", "120")).Alarms.PeriodSeconds);
        Assert.Equal("items-api:alarmEvaluationPeriods = 25 is not valid; expected at most 24 with alarmPeriodSeconds 3600: CloudWatch evaluates at most one day.",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("alarmPeriodSeconds", "3600"), ("alarmEvaluationPeriods", "25"))).Errors));
        Assert.Equal("items-api:alarmPeriodSeconds = 90 is not valid; expected a multiple of 60: the gateway, Lambda and DynamoDB publish metrics once a minute.",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("alarmPeriodSeconds", "90"))).Errors));
        Assert.Equal("items-api:alarmDatapointsToAlarm = 6 is not valid; expected at most alarmEvaluationPeriods (5): an alarm cannot need more breaching periods than it looks at.",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("alarmDatapointsToAlarm", "6"))).Errors));
    }

    [Fact]
    public void The_alarm_email_and_the_429_alarm_need_what_they_feed_on()
    {
        Assert.Equal("items-api:alarmEmail = 'ops@example.com' is not valid; expected empty unless monitoring is true: it subscribes to the alarm topic, which exists only then.",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("alarmEmail", "ops@example.com"))).Errors));
        Assert.Equal("items-api:alarmEmail = 'ops' is not valid; expected an e-mail address such as ops@example.com.",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("monitoring", "true"), ("alarmEmail", "ops"))).Errors));
        Assert.Equal("items-api:alarm429Percent = '2.5' is not valid; expected 0 when the stage has no access log (accessLogs: false, or apiImplementation: component): the 429 rate is counted from it.",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("monitoring", "true"), ("accessLogs", "false"), ("alarm429Percent", "2.5"))).Errors));
        // Without monitoring there is no alarm to feed.
        Assert.False(Load(("accessLogs", "false")).Monitoring);
    }

    [Fact]
    public void Snapstart_or_provisioned_concurrency_with_the_component_names_both_keys()
    {
        Assert.Equal("items-api:apiImplementation = 'component' is not valid; expected resources with snapStart or provisionedConcurrency: the component calls the function itself, not its alias.",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("provisionedConcurrency", "1"), ("apiImplementation", "component"))).Errors));
        Assert.Equal("items-api:provisionedConcurrency = 2 is not valid; expected 0 when snapStart is true: Lambda does not combine SnapStart with provisioned concurrency; choose one.",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("snapStart", "true"), ("functionBuild", "readyToRun"), ("provisionedConcurrency", "2"))).Errors));
    }

    [Fact]
    public void Reservations_may_use_exactly_what_the_account_leaves_reservable()
    {
        Assert.Equal("items-api:reservedConcurrency = 2 is not valid; expected at most 1: accountConcurrencyLimit (101) minus the 100 executions Lambda keeps unreserved, and less what other functions in this account and region reserve.",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("reservedConcurrency", "2"), ("accountConcurrencyLimit", "101"))).Errors));
        Assert.Equal(1, Load(("reservedConcurrency", "1"), ("accountConcurrencyLimit", "101")).ReservedConcurrency);
        Assert.Equal("items-api:reservedConcurrency = 1 is not valid; expected 0: with accountConcurrencyLimit 100 nothing can be reserved, because Lambda keeps 100 executions unreserved (ask AWS Service Quotas for a higher limit).",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("reservedConcurrency", "1"), ("accountConcurrencyLimit", "100"))).Errors));
        Assert.Equal(0, Load(("accountConcurrencyLimit", "10")).ReservedConcurrency);
    }

    [Fact]
    public void The_next_key_value_differs_from_the_current_one_and_names_it()
    {
        Assert.Equal("items-api:nextApiKeyValue = (secret) is not valid; expected a value other than apiKeyValue: API Gateway refuses two keys with the same value.",
            Assert.Single(Assert.Throws<StageSettingsException>(() =>
                Load(("apiKeyValue", "same-key-0123456789abc"), ("nextApiKey", "true"), ("nextApiKeyValue", "same-key-0123456789abc"))).Errors));
        Assert.Equal("items-api:nextApiKeyValue = (secret) is not valid; expected empty unless nextApiKey is true (after a rotation, move it into apiKeyValue: the next key is now the current one).",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("nextApiKeyValue", "next-key-0123456789abcde"))).Errors));
        Assert.Equal("items-api:nextApiKeyValue = (unset) is not valid; expected set when apiKeyValue is set and nextApiKey is true: " +
                     "when you raise apiKeyGeneration the next key becomes the current one, and apiKeyValue would replace it with the old key's value " +
                     "while the old key still exists (API Gateway refuses a duplicate value: 409). Give the next key its own value, or unset apiKeyValue so API Gateway generates both.",
            Assert.Single(Assert.Throws<StageSettingsException>(() => Load(("apiKeyValue", "my-own-key-0123456789abc"), ("nextApiKey", "true"))).Errors));
    }
}
