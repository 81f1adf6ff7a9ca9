using System.Globalization;

namespace ItemsApi.DeployTime.Settings;

/// <summary>Collects every config problem, so one run reports them all instead of stopping at the first.</summary>
public sealed class ConfigErrors
{
    private readonly List<string> _errors = [];
    private readonly HashSet<ConfigSetting> _invalidKeys = [];

    /// <summary>Records "<c>items-api:key = value is not valid; expected ...</c>". Values of secret keys are never shown.</summary>
    public void Add(ConfigSetting setting, object? value, string expected)
    {
        string shown = value switch
        {
            null => "(unset)",
            _ when setting.SetWithSecret => "(secret)",
            string text => $"'{text}'",
            _ => string.Create(CultureInfo.InvariantCulture, $"{value}"), // a number, written the same in every culture
        };
        _invalidKeys.Add(setting);
        _errors.Add($"{setting.FullName} = {shown} is not valid; expected {expected}.");
    }

    /// <summary>
    /// Runs a rule between keys, unless a key it reads was already reported invalid: that key now holds its default,
    /// so the rule would judge a value nobody wrote (the key's own error already says what is wrong).
    /// </summary>
    public void Check(ConfigRule rule, StageSettings settings)
    {
        if (rule.Reads.Any(_invalidKeys.Contains)) return;
        // The rule reports into a collector of its own: its errors are about a combination, which leaves each key's
        // own value valid, so they must not make later rules on the same keys skip.
        var ruleErrors = new ConfigErrors();
        rule.Check(settings, ruleErrors);
        _errors.AddRange(ruleErrors._errors);
    }

    public void ThrowIfAny()
    {
        if (_errors.Count > 0) throw new StageSettingsException(_errors);
    }
}
