using System.Globalization;

namespace ItemsApi.DeployTime.Settings;

/// <summary>
/// A request rate per second. API Gateway takes fractional rates (0.5 = one request every two seconds), and
/// Pulumi.yaml has no number type, so the key is declared <c>string</c>: write <c>pulumi config set key 0.5</c>.
/// </summary>
public sealed class RateSetting(string name, string description, double defaultValue)
    : ConfigSetting<double>(name, ConfigType.String, description)
{
    /// <summary>The largest rate API Gateway's throttle settings accept in practice (an account's default regional limit).</summary>
    public const double Max = 10_000;

    public override double Default => defaultValue;
    public override object DeclaredDefault => Invariant(defaultValue);
    public override string Allowed => $"a number of requests per second, greater than 0 and at most {Invariant(Max)} (e.g. 0.5 or 20)";

    public override bool TryParse(string raw, out double value) =>
        double.TryParse(raw, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && value > 0 && value <= Max;
}
