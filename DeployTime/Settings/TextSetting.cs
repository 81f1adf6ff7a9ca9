namespace ItemsApi.DeployTime.Settings;

/// <summary>Optional text; declared with the default "" (unset).</summary>
public sealed class TextSetting(string name, string description, Func<string, bool> isValid, string allowed)
    : ConfigSetting<string?>(name, ConfigType.String, description)
{
    public override string? Default => null;
    public override object DeclaredDefault => "";
    public override string Allowed => allowed;

    public override bool TryParse(string raw, out string? value)
    {
        value = raw;
        return isValid(raw);
    }
}
