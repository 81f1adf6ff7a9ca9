using System.Globalization;
using System.Text;

namespace ItemsApi.DeployTime.Settings;

/// <summary>
/// Writes the two documents that list the config keys, from <see cref="ConfigKeys.All"/>: the <c>config:</c>
/// block of Pulumi.yaml and the README's config table. Neither is edited by hand.
/// </summary>
public static class ConfigDocs
{
    /// <summary>The first line of the generated block in Pulumi.yaml; everything from here to the end is generated.</summary>
    public const string PulumiYamlMarker = "# Generated from DeployTime/Settings/ConfigKeys.cs by `dotnet run --project LocalGateway -- sync-config`; do not edit below.";

    public const string ReadmeStart = "<!-- config-table: generated from DeployTime/Settings/ConfigKeys.cs by `dotnet run --project LocalGateway -- sync-config` -->";
    public const string ReadmeEnd = "<!-- /config-table -->";

    /// <summary>The <c>config:</c> block: every key with its type, default and description.</summary>
    public static string PulumiYamlConfigBlock()
    {
        var yaml = new StringBuilder();
        yaml.Append(PulumiYamlMarker).Append('\n').Append("config:\n");
        foreach (ConfigSetting setting in ConfigKeys.All)
        {
            yaml.Append("  ").Append(setting.Name).Append(":\n");
            yaml.Append("    type: ").Append(TypeName(setting.Type)).Append('\n');
            if (setting.Type == ConfigType.Array) yaml.Append("    items:\n      type: string\n");
            yaml.Append("    default: ").Append(YamlValue(setting.DeclaredDefault)).Append('\n');
            yaml.Append("    description: ").Append(Quoted(setting.Description)).Append('\n');
        }
        return yaml.ToString();
    }

    /// <summary>Pulumi.yaml with its config block regenerated (the hand-written header above the marker is kept).</summary>
    public static string WithConfigBlock(string pulumiYaml)
    {
        int marker = pulumiYaml.IndexOf(PulumiYamlMarker, StringComparison.Ordinal);
        string header = marker >= 0 ? pulumiYaml[..marker] : pulumiYaml.TrimEnd() + "\n";
        return header + PulumiYamlConfigBlock();
    }

    /// <summary>The README table; <paramref name="stacks"/> maps a stack name to the values its file sets.</summary>
    public static string ReadmeTable(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> stacks)
    {
        string[] stackNames = [.. stacks.Keys.Order(StringComparer.Ordinal)];
        var table = new StringBuilder();
        table.Append(ReadmeStart).Append('\n');
        table.Append("| key | type | default | ").Append(string.Join(" | ", stackNames)).Append(" | what it does |\n");
        table.Append("|---|---|---|").Append(string.Concat(stackNames.Select(_ => "---|"))).Append("---|\n");
        foreach (ConfigSetting setting in ConfigKeys.All)
        {
            string type = setting switch
            {
                RateSetting => "string (decimal)",
                _ when setting.SetWithSecret => "string, secret",
                _ => TypeName(setting.Type),
            };
            table.Append($"| `{setting.Name}` | {type} | {Cell(setting.DeclaredDefault)} | ");
            foreach (string stack in stackNames)
                table.Append(stacks[stack].TryGetValue(setting.Name, out string? value) ? Escape(value) : "").Append(" | ");
            table.Append(Escape(setting.Description)).Append(" |\n");
        }
        table.Append(ReadmeEnd).Append('\n');
        return table.ToString();
    }

    /// <summary>The README with its config table regenerated between the markers.</summary>
    public static string WithReadmeTable(string readme, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> stacks)
    {
        int start = readme.IndexOf(ReadmeStart, StringComparison.Ordinal);
        // The end marker is looked for only after the start marker.
        int end = start == -1 ? -1 : readme.IndexOf(ReadmeEnd, start, StringComparison.Ordinal);
        if (end == -1) throw new InvalidOperationException($"README.md has no {ReadmeStart} ... {ReadmeEnd} section.");
        return readme[..start] + ReadmeTable(stacks) + readme[(end + ReadmeEnd.Length + 1)..];
    }

    public static string TypeName(ConfigType type) => type.ToString().ToLowerInvariant();

    internal static string YamlValue(object value) => value switch
    {
        string text => Quoted(text),
        bool flag => flag ? "true" : "false",
        int number => number.ToString(CultureInfo.InvariantCulture),
        string[] list => "[" + string.Join(", ", list.Select(Quoted)) + "]",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Pulumi.yaml defaults are strings, integers, booleans or string arrays"),
    };

    /// <summary>A YAML double-quoted scalar (descriptions and defaults hold no control characters).</summary>
    internal static string Quoted(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static string Cell(object value) => value switch
    {
        "" => "(unset)",
        string text => Escape(text),
        _ => Escape(YamlValue(value)),
    };

    private static string Escape(string text) => text.Replace("|", "\\|");
}
