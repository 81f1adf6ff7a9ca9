using ItemsApi.DeployTime.Settings;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.DeployTime.Tests;

/// <summary>The committed Pulumi project and stack files agree with the key table and validate.</summary>
public class StackFileTests
{
    private static readonly string Root = ProjectFiles.FindRoot();

    private static string ProjectYaml => File.ReadAllText(ProjectFiles.ProjectFile(Root));

    public static TheoryData<string> CommittedStacks => new(ProjectFiles.StackNames(Root));

    [Fact]
    public void Pulumi_yaml_passes_the_engines_project_checks()
    {
        (IReadOnlyList<PulumiEngineRules.Declaration> declarations, IReadOnlyList<string> errors) = PulumiEngineRules.CheckProject(ProjectYaml);
        Assert.Empty(errors);
        Assert.Equal(ConfigKeys.All.Select(k => k.Name), declarations.Select(d => d.Key));
    }

    [Theory]
    [MemberData(nameof(CommittedStacks))]
    public void Each_committed_stack_passes_the_engines_config_checks(string stack)
    {
        (IReadOnlyList<PulumiEngineRules.Declaration> declarations, _) = PulumiEngineRules.CheckProject(ProjectYaml);
        Assert.Empty(PulumiEngineRules.CheckStack(ConfigKeys.Project, declarations, stack, File.ReadAllText(ProjectFiles.StackFile(Root, stack))));
    }

    [Fact]
    public void A_new_stack_with_no_config_passes_the_engines_checks_and_loads()
    {
        (IReadOnlyList<PulumiEngineRules.Declaration> declarations, _) = PulumiEngineRules.CheckProject(ProjectYaml);
        Assert.Empty(PulumiEngineRules.CheckStack(ConfigKeys.Project, declarations, "staging", stackYaml: null));

        // What the engine then hands the program: every declared default, as text (lists as JSON).
        var defaults = declarations.ToDictionary(d => d.Key, d => d.Default switch
        {
            IReadOnlyList<object?> list => System.Text.Json.JsonSerializer.Serialize(list),
            bool flag => flag ? "true" : "false",
            _ => Convert.ToString(d.Default, System.Globalization.CultureInfo.InvariantCulture),
        });
        StageSettings settings = StageSettings.Load(defaults.GetValueOrDefault, "staging");
        Assert.Equal("staging", settings.StageName);
        Assert.Null(settings.ApiKeyValue);
        Assert.False(settings.ProvisionedBilling);
    }

    [Theory]
    [MemberData(nameof(CommittedStacks))]
    public void Committed_stacks_set_only_declared_keys(string stack)
    {
        // Pulumi ignores a project key it does not declare, so a typo would silently fall back to the default.
        IEnumerable<string> keys = StackFile.Load(Root, stack).Values.Keys.Concat(StackFile.Load(Root, stack).EncryptedKeys);
        Assert.All(keys, key => Assert.Contains(key, ConfigKeys.All.Select(k => k.Name)));
    }

    [Fact]
    public void Committed_stacks_never_share_an_api_key_value_or_hold_one_in_plain_text()
    {
        // API key values are unique per account and region: a second stack with the same value fails with 409.
        foreach (string stack in ProjectFiles.StackNames(Root))
            Assert.Null(StackFile.Load(Root, stack).Get(ConfigKeys.ApiKeyValue.Name));
    }

    [Fact]
    public void Generated_config_docs_are_up_to_date()
    {
        (string pulumiYaml, string readme) = ConfigDocsFiles.Generate(Root);
        Assert.True(pulumiYaml == ProjectYaml, "Pulumi.yaml's config block is stale: run `dotnet run --project LocalGateway -- sync-config`.");
        Assert.True(readme == File.ReadAllText(ProjectFiles.Readme(Root)), "README.md's config table is stale: run `dotnet run --project LocalGateway -- sync-config`.");
    }

    [Fact]
    public void Sync_config_rewrites_only_the_files_that_are_stale_and_names_them()
    {
        // A copy of the project's files, with the README's table emptied.
        using var folder = new StackFolder();
        foreach (string file in new[] { ProjectFiles.ProjectFileName, "README.md" }.Concat(ProjectFiles.StackNames(Root).Select(ProjectFiles.StackFileName)))
            File.Copy(System.IO.Path.Combine(Root, file), System.IO.Path.Combine(folder.Path, file));
        string readme = ProjectFiles.Readme(folder.Path);
        string upToDate = File.ReadAllText(readme);
        int start = upToDate.IndexOf(ConfigDocs.ReadmeStart, StringComparison.Ordinal);
        int end = upToDate.IndexOf(ConfigDocs.ReadmeEnd, StringComparison.Ordinal);
        File.WriteAllText(readme, upToDate[..(start + ConfigDocs.ReadmeStart.Length + 1)] + upToDate[end..]);

        Assert.Equal([readme], ConfigDocsFiles.Write(folder.Path));
        Assert.Equal(upToDate, File.ReadAllText(readme));
        Assert.Empty(ConfigDocsFiles.Write(folder.Path));
    }

    // The rule checker itself: each engine rule catches what the engine refuses.

    [Theory]
    [InlineData("type: number\n    default: 1", "value must be one of")]
    [InlineData("type: array\n    default: []", "does not specify the underlying type via the 'items' attribute")]
    [InlineData("type: integer\n    default: 1.5", "is not of the expected type 'integer'")]
    [InlineData("type: string\n    default: 5", "is not of the expected type 'string'")]
    [InlineData("type: string\n    min: 1", "additionalProperties 'min' not allowed")]
    [InlineData("default: 1", "missing properties: 'type'")]
    public void The_project_check_refuses_what_the_engine_refuses(string declaration, string expected)
    {
        string yaml = "name: p\nruntime: dotnet\nconfig:\n  k:\n    " + declaration + "\n";
        Assert.Contains(PulumiEngineRules.CheckProject(yaml).Errors, e => e.Contains(expected));
    }

    [Theory]
    [InlineData("type: string", null, "is missing configuration value 'k'")]
    [InlineData("type: string\n    secret: true\n    default: \"\"", null, "must be encrypted as it's secret")]
    [InlineData("type: integer\n    default: 1", "  p:k: 0.5", "must be of type 'integer'")]
    [InlineData("type: boolean\n    default: true", "  p:k: yes", "must be of type 'boolean'")]
    [InlineData("type: array\n    items:\n      type: string\n    default: []", "  p:k: [1, 2]", "must be of type 'array<string>'")]
    public void The_stack_check_refuses_what_the_engine_refuses(string declaration, string? stackConfig, string expected)
    {
        string yaml = "name: p\nruntime: dotnet\nconfig:\n  k:\n    " + declaration + "\n";
        (IReadOnlyList<PulumiEngineRules.Declaration> declarations, IReadOnlyList<string> projectErrors) = PulumiEngineRules.CheckProject(yaml);
        Assert.Empty(projectErrors);
        string? stack = stackConfig is null ? null : "config:\n" + stackConfig + "\n";
        Assert.Contains(PulumiEngineRules.CheckStack("p", declarations, "dev", stack), e => e.Contains(expected));
    }

    [Fact]
    public void The_stack_check_accepts_text_numbers_and_encrypted_values()
    {
        const string yaml = "name: p\nruntime: dotnet\nconfig:\n  n:\n    type: integer\n    default: 1\n  s:\n    type: string\n    secret: true\n  r:\n    type: string\n    default: \"1\"\n";
        (IReadOnlyList<PulumiEngineRules.Declaration> declarations, _) = PulumiEngineRules.CheckProject(yaml);
        Assert.Empty(PulumiEngineRules.CheckStack("p", declarations, "dev", "config:\n  p:n: \"42\"\n  p:s:\n    secure: AAAB\n  p:r: 0.5\n"));
    }

    [Theory]
    [MemberData(nameof(CommittedStacks))]
    public void Each_committed_stack_file_is_valid_config(string stack)
    {
        StackFile file = StackFile.Load(Root, stack);
        StageSettings settings = StageSettings.Load(file.Get, stack, file.IsEncrypted);
        Assert.Equal(stack, settings.StageName);
    }

    [Fact]
    public void Dev_and_prod_differ_where_a_production_stage_should()
    {
        StageSettings dev = StageSettings.Load(StackFile.Load(Root, "dev").Get, "dev");
        StageSettings prod = StageSettings.Load(StackFile.Load(Root, "prod").Get, "prod");
        Assert.False(dev.ProtectData);
        Assert.True(prod.ProtectData);
        Assert.Equal("false", StackFile.Load(Root, "dev").Get("protectData")); // dev opts out by name; protection is the default
        Assert.True(prod.PointInTimeRecovery);
        Assert.True(prod.LogRetentionDays > dev.LogRetentionDays);
        Assert.Equal(ExecutionLogLevel.Off, dev.ExecutionLogLevel);
        Assert.Equal(ExecutionLogLevel.Error, prod.ExecutionLogLevel);
        Assert.Equal(QuotaPeriod.Month, prod.QuotaPeriod);
        Assert.Equal(["http://localhost:5173"], dev.CorsAllowedOrigins);
    }

    [Fact]
    public void Lists_become_json_and_encrypted_values_are_reported_not_read()
    {
        using var folder = new StackFolder();
        folder.Write("demo", """
            config:
              aws:region: eu-west-1
              items-api:quotaLimit: 5
              items-api:corsAllowedOrigins:
                - https://a.example.com
                - https://b.example.com
              items-api:apiKeyValue:
                secure: AAABAHxyz
            """);
        StackFile file = StackFile.Load(folder.Path, "demo");
        Assert.Equal("5", file.Get("quotaLimit"));
        Assert.Equal("""["https://a.example.com","https://b.example.com"]""", file.Get("corsAllowedOrigins"));
        Assert.Null(file.Get("apiKeyValue"));
        Assert.Equal(["apiKeyValue"], file.EncryptedKeys);
        Assert.Null(file.Get("region"));
        Assert.Equal("eu-west-1", file.AwsRegion);
        Assert.Equal("https://a.example.com, https://b.example.com", file.DocumentedValues["corsAllowedOrigins"]);
    }

    [Fact]
    public void An_empty_stack_file_sets_nothing()
    {
        using var folder = new StackFolder();
        folder.Write("empty", "");
        StackFile file = StackFile.Load(folder.Path, "empty");
        Assert.Empty(file.Values);
        Assert.Empty(file.EncryptedKeys);
        Assert.Null(file.AwsRegion);
    }

    [Fact]
    public void A_value_that_is_neither_text_a_list_nor_encrypted_is_refused_naming_its_key()
    {
        using var folder = new StackFolder();
        folder.Write("odd", """
            config:
              items-api:quotaLimit:
                value: 5
            """);
        var error = Assert.Throws<InvalidDataException>(() => StackFile.Load(folder.Path, "odd"));
        Assert.Equal($"{System.IO.Path.Combine(folder.Path, "Pulumi.odd.yaml")}: items-api:quotaLimit has a value this program does not read.", error.Message);
    }

    [Fact]
    public void Locally_the_token_hash_stands_in_for_encrypted_authorizer_hashes_only()
    {
        using var folder = new StackFolder();
        folder.Write("enc", """
            config:
              items-api:authMode: apiKey+authorizer
              items-api:authorizerTokenHashes:
                secure: AAABAHxyz
              items-api:apiKeyValue:
                secure: AAABAHabc
            """);
        folder.Write("plain", """
            config:
              items-api:authMode: apiKey+authorizer
              items-api:authorizerTokenHashes: 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824
            """);
        string localHash = new string('a', 64);

        StageSettings encrypted = StageSettings.Load(StackFile.Load(folder.Path, "enc").LocalConfig(localHash), "enc");
        Assert.Equal([localHash], encrypted.AuthorizerTokenHashes);
        Assert.Null(encrypted.ApiKeyValue); // another encrypted key simply counts as unset

        // Hashes in plain text are refused, as `pulumi preview` refuses them, rather than quietly accepted.
        StackFile plainFile = StackFile.Load(folder.Path, "plain");
        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", plainFile.LocalConfig(localHash)("authorizerTokenHashes"));
        var error = Assert.Throws<StageSettingsException>(() => StageSettings.Load(plainFile.LocalConfig(localHash), "plain", plainFile.IsEncrypted));
        Assert.Contains("items-api:authorizerTokenHashes = (secret) is not valid; expected an encrypted value: it is in plain text in Pulumi.plain.yaml. " +
            "Set it with `pulumi config set --secret authorizerTokenHashes <value>`.", error.Message);
        Assert.DoesNotContain("2cf24dba", error.Message);
    }

    [Fact]
    public void The_readme_table_never_shows_a_secret_even_one_set_in_plain_text()
    {
        using var folder = new StackFolder();
        folder.Write("leaky", """
            config:
              items-api:quotaLimit: 5
              items-api:apiKeyValue: my-own-key-value-0123456789
              items-api:nextApiKeyValue:
                secure: AAABAHxyz
            """);
        IReadOnlyDictionary<string, string> shown = StackFile.Load(folder.Path, "leaky").DocumentedValues;
        Assert.Equal("5", shown["quotaLimit"]);
        Assert.Equal("(secret)", shown["apiKeyValue"]);
        Assert.Equal("(secret)", shown["nextApiKeyValue"]);
        Assert.DoesNotContain(shown.Values, value => value.Contains("my-own-key", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_stack_names_the_ones_there_are()
    {
        var error = Assert.Throws<FileNotFoundException>(() => StackFile.Load(Root, "staging"));
        Assert.Contains("dev, prod", error.Message);
    }

    /// <summary>A temporary folder of stack files, deleted on dispose.</summary>
    private sealed class StackFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("stackfile-").FullName;

        public void Write(string stack, string yaml) => File.WriteAllText(System.IO.Path.Combine(Path, $"Pulumi.{stack}.yaml"), yaml);

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
