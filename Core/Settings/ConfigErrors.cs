using System.Globalization;

namespace ItemsApi.Core.Settings;

/// <summary>Collects every config problem, so one run reports them all instead of stopping at the first.</summary>
public sealed class ConfigErrors
{
    private readonly List<string> _errors = [];

    /// <summary>Records "<c>items-api:key = value is not valid; expected ...</c>". Values of secret keys are never shown.</summary>
    public void Add(ConfigSetting setting, object? value, string expected)
    {
        string shown = value switch
        {
            null => "(unset)",
            _ when setting.SetWithSecret => "(secret)",
            string text => $"'{text}'",
            IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        _errors.Add($"{setting.FullName} = {shown} is not valid; expected {expected}.");
    }

    public void ThrowIfAny()
    {
        if (_errors.Count > 0) throw new StageSettingsException(_errors);
    }
}
