namespace ItemsApi.DeployTime.Settings;

/// <summary>One of a closed set of words, each mapped to an enum value.</summary>
public sealed class ChoiceSetting<TEnum>(string name, string description, TEnum defaultValue, IReadOnlyList<(string Word, TEnum Value)> choices)
    : ConfigSetting<TEnum>(name, ConfigType.String, description) where TEnum : struct, Enum
{
    public IReadOnlyList<string> Words { get; } = choices.Select(c => c.Word).ToArray();
    public override TEnum Default => defaultValue;
    public override object DeclaredDefault => WordFor(defaultValue);
    public override string Allowed => "one of " + string.Join(", ", Words);

    /// <summary>The word a value is written as in config.</summary>
    public string WordFor(TEnum value) => choices.First(c => EqualityComparer<TEnum>.Default.Equals(c.Value, value)).Word;

    public override bool TryParse(string raw, out TEnum value)
    {
        foreach ((string word, TEnum choice) in choices)
        {
            if (!string.Equals(word, raw, StringComparison.Ordinal)) continue;
            value = choice;
            return true;
        }
        value = defaultValue;
        return false;
    }
}
