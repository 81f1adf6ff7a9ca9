using System.Globalization;

namespace ItemsApi.DeployTime.Settings;

/// <summary>
/// A percentage from 0 to 100; 0 turns off what it governs. Declared <c>string</c>, like
/// <see cref="RateSetting"/>, so decimals such as 0.5 can be written (Pulumi.yaml has no number type).
/// </summary>
public sealed class PercentSetting(string name, string description, double defaultValue)
    : ConfigSetting<double>(name, ConfigType.String, description)
{
    public override double Default => defaultValue;
    public override object DeclaredDefault => defaultValue.ToString(CultureInfo.InvariantCulture);
    public override string Allowed => "a percentage from 0 (off) to 100, decimals allowed (e.g. 0.5)";

    public override bool TryParse(string raw, out double value) =>
        double.TryParse(raw, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && value is >= 0 and <= 100;
}
