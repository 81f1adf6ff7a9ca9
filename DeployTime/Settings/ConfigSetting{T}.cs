namespace ItemsApi.DeployTime.Settings;

/// <summary>A config key whose value parses to <typeparamref name="T"/>.</summary>
public abstract class ConfigSetting<T>(string name, ConfigType type, string description) : ConfigSetting(name, type, description)
{
    /// <summary>The value when the key is unset (or set to the declared empty default).</summary>
    public abstract T Default { get; }

    /// <summary>Parses Pulumi's raw text for the key (arrays arrive as JSON).</summary>
    public abstract bool TryParse(string raw, out T value);

    /// <summary>Reads the key through <paramref name="config"/>; a bad value is recorded in <paramref name="errors"/>.</summary>
    public T Read(Func<string, string?> config, ConfigErrors errors)
    {
        string? raw = config(Name);
        if (string.IsNullOrEmpty(raw)) return Default;
        if (TryParse(raw, out T value)) return value;
        errors.Add(this, raw, Allowed);
        return Default;
    }
}
