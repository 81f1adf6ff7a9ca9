using ItemsApi.DeployTime.Settings;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.DeployTime.Tests;

/// <summary>
/// What users read about the config keys: Pulumi.yaml's config block (which `pulumi config` and the engine read) and the
/// README's config table. Both are generated from <see cref="ConfigKeys"/>; the committed files must say what the code says.
/// (LocalGateway.Tests runs the same comparison through <c>sync-config</c>, with the stack files' values.)
/// </summary>
public sealed class ConfigDocsTests
{
    private static readonly string Root = ProjectFiles.FindRoot();

    [Fact]
    public void The_committed_pulumi_yaml_declares_every_key_as_the_key_table_does()
    {
        string committed = File.ReadAllText(ProjectFiles.ProjectFile(Root));
        Assert.True(ConfigDocs.WithConfigBlock(committed) == committed,
            "Pulumi.yaml's config block is stale: run `dotnet run --project LocalGateway -- sync-config`.");
        // The hand-written header above the marker is the project's own; everything after it is generated.
        Assert.StartsWith("name: items-api\n", committed[committed.IndexOf("name: ", StringComparison.Ordinal)..]);
    }

    [Fact]
    public void The_committed_readme_table_describes_every_key_as_the_key_table_does()
    {
        string readme = File.ReadAllText(ProjectFiles.Readme(Root));
        IReadOnlyList<string> stackNames = ProjectFiles.StackNames(Root);
        Assert.Equal(["dev", "prod"], stackNames);

        // The stack columns hold what each stack file sets (LocalGateway reads those files); take them from the table as
        // committed, so that every other cell (type, default, description) is compared with what the code generates.
        var stacks = stackNames.ToDictionary(stack => stack, _ => new Dictionary<string, string>());
        foreach (string[] cells in TableRows(readme))
            for (int column = 0; column < stackNames.Count; column++)
                if (cells[3 + column].Length > 0) stacks[stackNames[column]][cells[0].Trim('`')] = cells[3 + column];

        string generated = ConfigDocs.WithReadmeTable(readme, stacks.ToDictionary(s => s.Key, s => (IReadOnlyDictionary<string, string>)s.Value));
        Assert.True(generated == readme, "README.md's config table is stale: run `dotnet run --project LocalGateway -- sync-config`.");
        Assert.Equal(ConfigKeys.All.Select(k => $"`{k.Name}`"), TableRows(readme).Select(cells => cells[0]));
    }

    [Fact]
    public void The_readme_table_shows_each_keys_type_and_default_as_users_write_them()
    {
        string table = ConfigDocs.ReadmeTable(new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["prod"] = new Dictionary<string, string> { ["quotaPeriod"] = "MONTH" },
            ["dev"] = new Dictionary<string, string> { ["authMode"] = "apiKey|iam" },
        });
        string[] lines = table.Split('\n');
        Assert.Equal(ConfigDocs.ReadmeStart, lines[0]);
        Assert.Equal("| key | type | default | dev | prod | what it does |", lines[1]); // stacks in name order
        Assert.Equal("|---|---|---|---|---|---|", lines[2]);
        Assert.Equal(ConfigDocs.ReadmeEnd, lines[^2]);
        string Row(string key) => lines.Single(line => line.StartsWith($"| `{key}` |", StringComparison.Ordinal));
        Assert.StartsWith("| `stageName` | string | (unset) |  |  | ", Row("stageName"));
        Assert.StartsWith("| `authMode` | string | apiKey | apiKey\\|iam |  | apiKey \\| apiKey+authorizer \\| iam.", Row("authMode"));
        Assert.StartsWith("| `quotaPeriod` | string | DAY |  | MONTH | ", Row("quotaPeriod"));
        Assert.StartsWith("| `lambdaMemoryMb` | integer | 256 |", Row("lambdaMemoryMb"));
        Assert.StartsWith("| `accessLogs` | boolean | true |", Row("accessLogs"));
        Assert.StartsWith("| `snapStart` | boolean | false |", Row("snapStart"));
        Assert.StartsWith("| `corsAllowedOrigins` | array | [] |", Row("corsAllowedOrigins"));
        Assert.StartsWith("| `usagePlanRateLimit` | string (decimal) | 10 |", Row("usagePlanRateLimit"));
        Assert.StartsWith("| `apiKeyValue` | string, secret | (unset) |", Row("apiKeyValue"));
    }

    [Fact]
    public void The_pulumi_yaml_block_declares_type_default_and_description_in_the_engines_terms()
    {
        string block = ConfigDocs.PulumiYamlConfigBlock();
        Assert.StartsWith(ConfigDocs.PulumiYamlMarker + "\nconfig:\n  stageName:\n    type: string\n    default: \"\"\n", block);
        Assert.Contains("\n  lambdaMemoryMb:\n    type: integer\n    default: 256\n", block);
        Assert.Contains("\n  snapStart:\n    type: boolean\n    default: false\n", block);
        Assert.Contains("\n  accessLogs:\n    type: boolean\n    default: true\n", block);
        Assert.Contains("\n  corsAllowedOrigins:\n    type: array\n    items:\n      type: string\n    default: []\n", block);
        Assert.Contains("\n  usagePlanRateLimit:\n    type: string\n    default: \"10\"\n", block);
        Assert.Contains("\n  alarm5xxPercent:\n    type: string\n    default: \"1\"\n", block);
        Assert.Equal(ConfigKeys.All.Count, block.Split("\n    description: \"").Length - 1);
        Assert.Equal(1, block.Split("\n    items:\n").Length - 1); // only the array key declares its items
    }

    [Fact]
    public void Quotes_and_backslashes_in_a_description_are_escaped_for_yaml()
    {
        // Descriptions and defaults are double-quoted YAML scalars: a quote or backslash inside must not end or break them.
        Assert.Equal("\"say \\\"hi\\\" in C:\\\\temp\"", ConfigDocs.Quoted("say \"hi\" in C:\\temp"));
        Assert.Equal("\"\"", ConfigDocs.Quoted(""));
    }

    [Fact]
    public void A_pulumi_yaml_without_the_block_gets_it_after_its_header_and_regenerating_changes_nothing()
    {
        string header = "name: p\nruntime: dotnet\n";
        string withBlock = ConfigDocs.WithConfigBlock(header + "\n\n");
        Assert.Equal(header + ConfigDocs.PulumiYamlConfigBlock(), withBlock);
        Assert.Equal(withBlock, ConfigDocs.WithConfigBlock(withBlock));
        // A file that is only the generated block (no header) is regenerated in place, not appended to.
        Assert.Equal(ConfigDocs.PulumiYamlConfigBlock(), ConfigDocs.WithConfigBlock(ConfigDocs.PulumiYamlConfigBlock()));
    }

    [Fact]
    public void Defaults_are_written_as_yaml_scalars_and_flow_lists()
    {
        Assert.Equal("""["a", "b \"c\""]""", ConfigDocs.YamlValue(new[] { "a", "b \"c\"" }));
        Assert.Equal("[]", ConfigDocs.YamlValue(Array.Empty<string>()));
        Assert.Equal("-5", ConfigDocs.YamlValue(-5));
        Assert.Equal("false", ConfigDocs.YamlValue(false));
        // A default of another type would be written wrongly (1.5 as "1,5" in some cultures): it is refused.
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ConfigDocs.YamlValue(1.5));
        Assert.StartsWith("Pulumi.yaml defaults are strings, integers, booleans or string arrays", error.Message);
    }

    [Fact]
    public void A_readme_without_the_table_markers_is_refused_with_their_names()
    {
        var stacks = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        var exception = Assert.Throws<InvalidOperationException>(() => ConfigDocs.WithReadmeTable("# A README\n", stacks));
        Assert.Equal($"README.md has no {ConfigDocs.ReadmeStart} ... {ConfigDocs.ReadmeEnd} section.", exception.Message);
        Assert.Throws<InvalidOperationException>(() => ConfigDocs.WithReadmeTable(ConfigDocs.ReadmeEnd + "\n" + ConfigDocs.ReadmeStart + "\n", stacks));
        string readme = "intro\n" + ConfigDocs.ReadmeStart + "\nold\n" + ConfigDocs.ReadmeEnd + "\noutro\n";
        Assert.Equal("intro\n" + ConfigDocs.ReadmeTable(stacks) + "outro\n", ConfigDocs.WithReadmeTable(readme, stacks));
        // The table may open the file.
        Assert.Equal(ConfigDocs.ReadmeTable(stacks) + "outro\n", ConfigDocs.WithReadmeTable(readme["intro\n".Length..], stacks));
    }

    [Fact]
    public void Outside_a_repository_the_project_root_is_an_error_saying_where_to_run()
    {
        DirectoryInfo outside = Directory.CreateTempSubdirectory("no-project-");
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => ProjectFiles.FindRoot(outside.FullName));
            Assert.Equal("Pulumi.yaml not found; run from inside the repository.", error.Message);
            // Found from a folder below the root, as from the program's own bin folder.
            Assert.Equal(Root, ProjectFiles.FindRoot(outside.FullName, Path.Combine(Root, "Core.Tests")));
        }
        finally { outside.Delete(); }
    }

    [Fact]
    public void The_project_root_is_found_from_the_test_folder_and_names_its_files()
    {
        Assert.True(File.Exists(Path.Combine(Root, "Pulumi.yaml")));
        Assert.Equal(Path.Combine(Root, "Pulumi.yaml"), ProjectFiles.ProjectFile(Root));
        Assert.Equal(Path.Combine(Root, "Pulumi.dev.yaml"), ProjectFiles.StackFile(Root, "dev"));
        Assert.Equal(Path.Combine(Root, "README.md"), ProjectFiles.Readme(Root));
    }

    /// <summary>The cells of each key row of the README's config table ("\|" inside a cell is a literal bar).</summary>
    private static IEnumerable<string[]> TableRows(string readme)
    {
        int start = readme.IndexOf(ConfigDocs.ReadmeStart, StringComparison.Ordinal);
        int end = readme.IndexOf(ConfigDocs.ReadmeEnd, StringComparison.Ordinal);
        return readme[start..end].Split('\n').Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .Select(line => line.Trim('|', ' ').Replace("\\|", "\u0001").Split(" | ").Select(cell => cell.Replace("\u0001", "|")).ToArray());
    }
}
