using ItemsApi.Core.Settings;
using YamlDotNet.RepresentationModel;

namespace ItemsApi.LocalGateway.Tests;

/// <summary>The committed Pulumi project and stack files agree with the key table and validate.</summary>
public class StackFileTests
{
    private static readonly string Root = StackFile.FindRepositoryRoot();

    [Fact]
    public void Pulumi_yaml_declares_every_config_key_with_the_same_type_default_and_secrecy()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(Root, "Pulumi.yaml"))));
        var project = (YamlMappingNode)yaml.Documents[0].RootNode;
        Assert.Equal(ConfigKeys.Project, project["name"].ToString());
        Assert.Equal("Infra/", project["main"].ToString());

        var declared = (YamlMappingNode)project["config"];
        Assert.Equal(ConfigKeys.All.Select(k => k.Name).Order(), declared.Children.Keys.Select(k => k.ToString()).Order());
        foreach (ConfigKey key in ConfigKeys.All)
        {
            var declaration = (YamlMappingNode)declared[key.Name];
            Assert.Equal(key.Type.ToString().ToLowerInvariant(), declaration["type"].ToString());
            Assert.False(string.IsNullOrWhiteSpace(declaration["description"].ToString()));
            string? @default = declaration.Children.TryGetValue("default", out YamlNode? node)
                ? node is YamlSequenceNode list ? "[" + string.Join(",", list.Children) + "]" : node.ToString()
                : null;
            Assert.True(key.Default == @default, $"{key.Name}: Pulumi.yaml default '{@default}', ConfigKeys default '{key.Default}'");
            Assert.Equal(key.Secret, declaration.Children.ContainsKey("secret"));
        }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Each_committed_stack_file_is_valid_config(string stack)
    {
        StackFile file = StackFile.Load(Root, stack);
        StageSettings settings = StageSettings.Load(file.Get, stack);
        Assert.Equal(stack, settings.StageName);
    }

    [Fact]
    public void Dev_and_prod_differ_where_a_production_stage_should()
    {
        StageSettings dev = StageSettings.Load(StackFile.Load(Root, "dev").Get, "dev");
        StageSettings prod = StageSettings.Load(StackFile.Load(Root, "prod").Get, "prod");
        Assert.False(dev.ProtectData);
        Assert.True(prod.ProtectData);
        Assert.True(prod.LogRetentionDays > dev.LogRetentionDays);
        Assert.Equal("OFF", dev.ExecutionLogLevel);
        Assert.Equal("ERROR", prod.ExecutionLogLevel);
        Assert.True(prod.ManageApiGatewayAccount);
        Assert.Equal("MONTH", prod.QuotaPeriod);
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
            """);
        folder.Write("plain", """
            config:
              items-api:authMode: apiKey+authorizer
              items-api:authorizerTokenHashes: 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824
            """);
        string localHash = new string('a', 64);

        StageSettings encrypted = StageSettings.Load(StackFile.Load(folder.Path, "enc").LocalConfig(localHash), "enc");
        Assert.Equal([localHash], encrypted.AuthorizerTokenHashes);

        StageSettings plain = StageSettings.Load(StackFile.Load(folder.Path, "plain").LocalConfig(localHash), "plain");
        Assert.Equal(["2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"], plain.AuthorizerTokenHashes);
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
