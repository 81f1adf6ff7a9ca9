using System.Globalization;
using System.Text.RegularExpressions;

namespace ItemsApi.Core.Settings;

/// <summary>Collects every config problem, so one run reports them all instead of stopping at the first.</summary>
public sealed class ConfigErrors
{
    private readonly List<string> _errors = [];
    private readonly HashSet<string> _invalidKeys = [];
    private bool _checkingRulesBetweenKeys;

    /// <summary>
    /// Call once every key is read. From then on errors come from rules between keys, and a rule about a key whose own
    /// value was invalid, or naming such a key, is left out: that key now holds its default, so the rule would judge a
    /// value nobody wrote (the key's own error already says what is wrong).
    /// </summary>
    public void StartRulesBetweenKeys() => _checkingRulesBetweenKeys = true;

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
        if (_checkingRulesBetweenKeys
            && (_invalidKeys.Contains(setting.Name) || _invalidKeys.Any(key => Regex.IsMatch(expected, $@"\b{Regex.Escape(key)}\b"))))
            return;
        if (!_checkingRulesBetweenKeys) _invalidKeys.Add(setting.Name);
        _errors.Add($"{setting.FullName} = {shown} is not valid; expected {expected}.");
    }

    public void ThrowIfAny()
    {
        if (_errors.Count > 0) throw new StageSettingsException(_errors);
    }
}
