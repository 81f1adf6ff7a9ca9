using System.Globalization;

namespace ItemsApi.DeployTime.Settings;

/// <summary>A whole number in a range, or one of a fixed list.</summary>
public sealed class IntegerSetting(string name, string description, int defaultValue, int min, int max, IReadOnlyList<int>? allowedValues = null)
    : ConfigSetting<int>(name, ConfigType.Integer, description)
{
    public override int Default => defaultValue;
    public override object DeclaredDefault => defaultValue;

    public override string Allowed => allowedValues is null
        ? $"a whole number from {Invariant(min)} to {Invariant(max)}"
        : "one of " + string.Join(", ", allowedValues.Select(v => Invariant(v)));

    public override bool TryParse(string raw, out int value) =>
        int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)
        && value >= min && value <= max && (allowedValues is null || allowedValues.Contains(value));
}
