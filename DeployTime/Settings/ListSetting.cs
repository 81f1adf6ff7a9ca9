using System.Text.Json;

namespace ItemsApi.DeployTime.Settings;

/// <summary>A list of strings: declared <c>array</c> of <c>string</c>; Pulumi passes it as a JSON array.</summary>
public sealed class ListSetting(string name, string description, Func<string, bool> isValidItem, string allowedItem)
    : ConfigSetting<IReadOnlyList<string>>(name, ConfigType.Array, description)
{
    public override IReadOnlyList<string> Default => [];
    public override object DeclaredDefault => Array.Empty<string>();
    public override string Allowed => $"a list of {allowedItem}";

    public override bool TryParse(string raw, out IReadOnlyList<string> value)
    {
        value = [];
        string[]? items;
        try
        {
            items = raw.TrimStart().StartsWith('[')
                ? JsonSerializer.Deserialize(raw, SettingsJsonContext.Default.StringArray)
                : raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        catch (JsonException)
        {
            return false;
        }
        if (items is null || items.Any(item => item is null || !isValidItem(item))) return false;
        value = items;
        return true;
    }
}
