namespace ItemsApi.DeployTime.Settings;

/// <summary>true or false, as Pulumi passes them.</summary>
public sealed class BooleanSetting(string name, string description, bool defaultValue)
    : ConfigSetting<bool>(name, ConfigType.Boolean, description)
{
    public override bool Default => defaultValue;
    public override object DeclaredDefault => defaultValue;
    public override string Allowed => "true or false";

    public override bool TryParse(string raw, out bool value)
    {
        value = raw == "true";
        return raw is "true" or "false";
    }
}
