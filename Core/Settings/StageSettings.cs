using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ItemsApi.Core.Auth;
using Keys = ItemsApi.Core.Settings.ConfigKeys;

namespace ItemsApi.Core.Settings;

public enum AuthMode { ApiKey, ApiKeyAndAuthorizer, Iam }
public enum ApiImplementation { Resources, Component }

/// <summary>
/// A stage's settings, parsed and validated from stack config. Both the Pulumi program and the local
/// gateway load them through <see cref="Load"/>, so a stage behaves the same in both places.
/// </summary>
public sealed partial record StageSettings
{
    public required string StageName { get; init; }
    public required AuthMode AuthMode { get; init; }
    public required ApiImplementation ApiImplementation { get; init; }
    public required string LambdaArchitecture { get; init; }
    public required int LambdaMemoryMb { get; init; }
    public required int LambdaTimeoutSeconds { get; init; }
    public required bool LambdaTracing { get; init; }
    public required int LogRetentionDays { get; init; }
    public required string ExecutionLogLevel { get; init; }
    public required bool MetricsEnabled { get; init; }
    public required double StageThrottleRateLimit { get; init; }
    public required int StageThrottleBurstLimit { get; init; }
    public required double UsagePlanRateLimit { get; init; }
    public required int UsagePlanBurstLimit { get; init; }
    public required int QuotaLimit { get; init; }
    public required string QuotaPeriod { get; init; }
    public required int AuthorizerCacheTtlSeconds { get; init; }
    public required IReadOnlyList<string> CorsAllowedOrigins { get; init; }
    /// <summary>Both set: provisioned billing. Both null: on-demand.</summary>
    public required int? TableReadCapacity { get; init; }
    public required int? TableWriteCapacity { get; init; }
    public required bool PointInTimeRecovery { get; init; }
    public required bool ProtectData { get; init; }
    public required bool ManageApiGatewayAccount { get; init; }
    public required string? CustomDomainName { get; init; }
    public required string? HostedZoneName { get; init; }
    /// <summary>Secret. Null: the stack generates one.</summary>
    public required string? ApiKeyValue { get; init; }
    /// <summary>Secret. Required in <see cref="AuthMode.ApiKeyAndAuthorizer"/>.</summary>
    public required IReadOnlyList<string> AuthorizerTokenHashes { get; init; }

    public bool ProvisionedBilling => TableReadCapacity is not null;

    /// <summary>Retention periods CloudWatch Logs accepts.</summary>
    public static IReadOnlyList<int> AllowedRetentionDays { get; } =
        [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    public static string AuthModeName(AuthMode mode) => mode switch
    {
        AuthMode.ApiKey => "apiKey",
        AuthMode.ApiKeyAndAuthorizer => "apiKey+authorizer",
        _ => "iam",
    };

    /// <summary>
    /// Reads every key from <paramref name="config"/> (raw strings, as Pulumi passes them; arrays as JSON)
    /// and validates them all. Throws <see cref="StageSettingsException"/> listing every bad key.
    /// </summary>
    public static StageSettings Load(Func<string, string?> config, string stackName)
    {
        var reader = new Reader(config);
        var settings = new StageSettings
        {
            StageName = reader.Text(Keys.StageName, stackName, value => StageNamePattern().IsMatch(value), "1 to 40 letters, digits, '-' or '_' (function names are built from it)"),
            AuthMode = reader.Choice(Keys.AuthMode, new Dictionary<string, AuthMode>
            {
                ["apiKey"] = Settings.AuthMode.ApiKey, ["apiKey+authorizer"] = Settings.AuthMode.ApiKeyAndAuthorizer, ["iam"] = Settings.AuthMode.Iam,
            }),
            ApiImplementation = reader.Choice(Keys.ApiImplementation, new Dictionary<string, ApiImplementation>
            {
                ["resources"] = Settings.ApiImplementation.Resources, ["component"] = Settings.ApiImplementation.Component,
            }),
            LambdaArchitecture = reader.Choice(Keys.LambdaArchitecture, new Dictionary<string, string> { ["arm64"] = "arm64", ["x86_64"] = "x86_64" }),
            LambdaMemoryMb = reader.Integer(Keys.LambdaMemoryMb, 128, 10240),
            LambdaTimeoutSeconds = reader.Integer(Keys.LambdaTimeoutSeconds, 1, 29),
            LambdaTracing = reader.Boolean(Keys.LambdaTracing),
            LogRetentionDays = reader.Integer(Keys.LogRetentionDays, 1, 3653, AllowedRetentionDays),
            ExecutionLogLevel = reader.Choice(Keys.ExecutionLogLevel, new Dictionary<string, string> { ["OFF"] = "OFF", ["ERROR"] = "ERROR", ["INFO"] = "INFO" }),
            MetricsEnabled = reader.Boolean(Keys.MetricsEnabled),
            StageThrottleRateLimit = reader.Number(Keys.StageThrottleRateLimit),
            StageThrottleBurstLimit = reader.Integer(Keys.StageThrottleBurstLimit, 1, 1_000_000),
            UsagePlanRateLimit = reader.Number(Keys.UsagePlanRateLimit),
            UsagePlanBurstLimit = reader.Integer(Keys.UsagePlanBurstLimit, 1, 1_000_000),
            QuotaLimit = reader.Integer(Keys.QuotaLimit, 1, int.MaxValue),
            QuotaPeriod = reader.Choice(Keys.QuotaPeriod, new Dictionary<string, string> { ["DAY"] = "DAY", ["WEEK"] = "WEEK", ["MONTH"] = "MONTH" }),
            AuthorizerCacheTtlSeconds = reader.Integer(Keys.AuthorizerCacheTtlSeconds, 0, 3600),
            CorsAllowedOrigins = reader.List(Keys.CorsAllowedOrigins, IsOrigin, "\"*\" or origins like https://app.example.com (scheme and host, no path)"),
            TableReadCapacity = reader.OptionalInteger(Keys.TableReadCapacity, 1, 40_000),
            TableWriteCapacity = reader.OptionalInteger(Keys.TableWriteCapacity, 1, 40_000),
            PointInTimeRecovery = reader.Boolean(Keys.PointInTimeRecovery),
            ProtectData = reader.Boolean(Keys.ProtectData),
            ManageApiGatewayAccount = reader.Boolean(Keys.ManageApiGatewayAccount),
            CustomDomainName = reader.OptionalText(Keys.CustomDomainName, value => DomainPattern().IsMatch(value), "a DNS name such as api.example.com"),
            HostedZoneName = reader.OptionalText(Keys.HostedZoneName, value => DomainPattern().IsMatch(value.TrimEnd('.')), "a DNS zone such as example.com"),
            ApiKeyValue = reader.OptionalText(Keys.ApiKeyValue, value => value.Length is >= 20 and <= 128, "20 to 128 characters"),
            AuthorizerTokenHashes = BearerTokenAuthorizer.SplitList(reader.OptionalText(Keys.AuthorizerTokenHashes,
                value => BearerTokenAuthorizer.SplitList(value).All(BearerTokenAuthorizer.IsValidHash), "comma-separated SHA-256 hashes, 64 hex characters each")),
        };

        // Rules that tie keys together.
        if (settings.StageThrottleBurstLimit < settings.StageThrottleRateLimit)
            reader.Fail(Keys.StageThrottleBurstLimit, settings.StageThrottleBurstLimit, $"at least {Keys.StageThrottleRateLimit.Name} ({settings.StageThrottleRateLimit}): a burst below the rate would cap it");
        if (settings.UsagePlanBurstLimit < settings.UsagePlanRateLimit)
            reader.Fail(Keys.UsagePlanBurstLimit, settings.UsagePlanBurstLimit, $"at least {Keys.UsagePlanRateLimit.Name} ({settings.UsagePlanRateLimit}): a burst below the rate would cap it");
        if ((settings.TableReadCapacity is null) != (settings.TableWriteCapacity is null))
            reader.Fail(settings.TableReadCapacity is null ? Keys.TableReadCapacity : Keys.TableWriteCapacity, "(unset)", $"set together with {(settings.TableReadCapacity is null ? Keys.TableWriteCapacity.Name : Keys.TableReadCapacity.Name)} for provisioned billing, or leave both unset for on-demand");
        if ((settings.CustomDomainName is null) != (settings.HostedZoneName is null))
            reader.Fail(settings.CustomDomainName is null ? Keys.CustomDomainName : Keys.HostedZoneName, "(unset)", $"set together with {(settings.CustomDomainName is null ? Keys.HostedZoneName.Name : Keys.CustomDomainName.Name)}");
        if (settings.CustomDomainName is not null && settings.HostedZoneName is not null
            && !settings.CustomDomainName.EndsWith("." + settings.HostedZoneName.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
            reader.Fail(Keys.CustomDomainName, settings.CustomDomainName, $"a name inside the hosted zone {settings.HostedZoneName}");
        if (settings.AuthMode == Settings.AuthMode.ApiKeyAndAuthorizer && settings.AuthorizerTokenHashes.Count == 0)
            reader.Fail(Keys.AuthorizerTokenHashes, "(unset)", "at least one hash when authMode is apiKey+authorizer (pulumi config set --secret authorizerTokenHashes <sha256>)");

        reader.ThrowIfInvalid();
        return settings;
    }

    private static bool IsOrigin(string value)
    {
        if (value == "*") return true;
        return Uri.TryCreate(value, UriKind.Absolute, out Uri? uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && uri.AbsolutePath == "/" && !value.EndsWith('/') && uri.Query.Length == 0 && uri.UserInfo.Length == 0;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex StageNamePattern();

    [GeneratedRegex(@"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")]
    private static partial Regex DomainPattern();

    /// <summary>Reads keys one by one, collecting every problem instead of stopping at the first.</summary>
    private sealed class Reader(Func<string, string?> config)
    {
        private readonly List<string> _errors = [];

        public void Fail(ConfigKey key, object? value, string allowed) =>
            _errors.Add($"{Keys.Project}:{key.Name} = {Show(value)} is not valid; expected {allowed}.");

        public void ThrowIfInvalid()
        {
            if (_errors.Count > 0) throw new StageSettingsException(_errors);
        }

        private string? Raw(ConfigKey key) => config(key.Name) is { Length: > 0 } value ? value : key.Default;

        public string Text(ConfigKey key, string fallback, Func<string, bool> isValid, string allowed)
        {
            string value = Raw(key) ?? fallback;
            if (!isValid(value)) Fail(key, value, allowed);
            return value;
        }

        public string? OptionalText(ConfigKey key, Func<string, bool> isValid, string allowed)
        {
            string? value = Raw(key);
            if (value is not null && !isValid(value)) Fail(key, key.Secret ? "(secret)" : value, allowed);
            return value;
        }

        public T Choice<T>(ConfigKey key, IReadOnlyDictionary<string, T> choices)
        {
            string value = Raw(key)!;
            if (choices.TryGetValue(value, out T? choice)) return choice;
            Fail(key, value, "one of " + string.Join(", ", choices.Keys));
            return choices.Values.First();
        }

        public int Integer(ConfigKey key, int min, int max, IReadOnlyList<int>? allowedValues = null) =>
            OptionalInteger(key, min, max, allowedValues) ?? 0;

        public int? OptionalInteger(ConfigKey key, int min, int max, IReadOnlyList<int>? allowedValues = null)
        {
            string? value = Raw(key);
            if (value is null) return null;
            bool parsed = int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number);
            if (parsed && number >= min && number <= max && (allowedValues is null || allowedValues.Contains(number))) return number;
            Fail(key, value, allowedValues is null ? $"a whole number from {min} to {max}" : "one of " + string.Join(", ", allowedValues));
            return min;
        }

        public double Number(ConfigKey key)
        {
            string value = Raw(key)!;
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && number > 0 && double.IsFinite(number))
                return number;
            Fail(key, value, "a number greater than 0");
            return 1;
        }

        public bool Boolean(ConfigKey key)
        {
            string value = Raw(key)!;
            if (bool.TryParse(value, out bool flag)) return flag;
            Fail(key, value, "true or false");
            return false;
        }

        /// <summary>A list given as a JSON array (how Pulumi passes structured config) or comma-separated text.</summary>
        public IReadOnlyList<string> List(ConfigKey key, Func<string, bool> isValidItem, string allowed)
        {
            string value = Raw(key) ?? "[]";
            string[] items;
            try
            {
                items = value.TrimStart().StartsWith('[')
                    ? JsonSerializer.Deserialize<string[]>(value) ?? []
                    : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            }
            catch (JsonException)
            {
                Fail(key, value, "a list of strings");
                return [];
            }
            foreach (string item in items.Where(item => !isValidItem(item))) Fail(key, item, allowed);
            return items;
        }

        private static string Show(object? value) => value switch
        {
            null => "(unset)",
            string text => text.StartsWith('(') ? text : $"'{text}'",
            IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
    }
}

/// <summary>Thrown when stack config is invalid; the message names every bad key, its value and what is allowed.</summary>
public sealed class StageSettingsException(IReadOnlyList<string> errors)
    : Exception("Invalid stack configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
