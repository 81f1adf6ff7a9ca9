using System.Globalization;

namespace ItemsApi.DeployTime.Settings;

/// <summary>Collects every config problem, so one run reports them all instead of stopping at the first.</summary>
public sealed class ConfigErrors
{
    private readonly List<string> _errors = [];
    private readonly HashSet<ConfigSetting> _invalidKeys = [];
    private bool _checkingRule;

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
        if (!_checkingRule) _invalidKeys.Add(setting); // a key's own value is invalid, not a combination
        _errors.Add($"{setting.FullName} = {shown} is not valid; expected {expected}.");
    }

    /// <summary>
    /// Runs a rule between keys, unless a key it reads was already reported invalid: that key now holds its default,
    /// so the rule would judge a value nobody wrote (the key's own error already says what is wrong).
    /// </summary>
    public void Check(ConfigRule rule, StageSettings settings)
    {
        if (rule.Reads.Any(_invalidKeys.Contains)) return;
        _checkingRule = true;
        try { rule.Check(settings, this); }
        finally { _checkingRule = false; }
    }

    public void ThrowIfAny()
    {
        if (_errors.Count > 0) throw new StageSettingsException(_errors);
    }
}
