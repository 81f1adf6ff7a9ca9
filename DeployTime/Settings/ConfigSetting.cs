using System.Globalization;

namespace ItemsApi.DeployTime.Settings;

/// <summary>
/// One stack config key, declared once: its name, declared Pulumi type, default, allowed values and
/// description. Pulumi.yaml's <c>config:</c> block and the README's table are generated from these
/// (<see cref="ConfigDocs"/>), and each setting parses and validates its own raw value.
/// </summary>
/// <remarks>
/// Every key has a default. Pulumi treats a declared key without <c>default</c> as required in every stack
/// ("Stack 'dev' is missing configuration value(s) ..."), so an optional key declares an empty default
/// ("" or 0) that means "unset".
/// </remarks>
public abstract class ConfigSetting(string name, ConfigType type, string description)
{
    public string Name { get; } = name;
    public ConfigType Type { get; } = type;
    public string Description { get; } = description;

    /// <summary>
    /// Set with <c>pulumi config set --secret</c>. Not declared <c>secret: true</c> in Pulumi.yaml: the engine
    /// requires a secret-declared value to be encrypted, and applies defaults as plain values, so a secret
    /// key with a default fails in every stack that leaves it unset, and one without a default is required.
    /// </summary>
    public bool SetWithSecret { get; init; }

    /// <summary>The default as Pulumi.yaml declares it: a string, int, bool or string array.</summary>
    public abstract object DeclaredDefault { get; }

    /// <summary>What values are accepted, in words (README and error messages).</summary>
    public abstract string Allowed { get; }

    /// <summary>The namespaced key, e.g. <c>items-api:authMode</c>.</summary>
    public string FullName => $"{ConfigKeys.Project}:{Name}";

    public override string ToString() => FullName;

    protected static string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}
