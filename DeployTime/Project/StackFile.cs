using System.Text.Json;
using ItemsApi.DeployTime.Settings;
using YamlDotNet.RepresentationModel;

namespace ItemsApi.DeployTime.Project;

/// <summary>
/// Reads a stack's config from <c>Pulumi.&lt;stack&gt;.yaml</c> the way Pulumi hands it to the program:
/// every value as text, lists as JSON. Encrypted (<c>secure:</c>) values cannot be read without Pulumi,
/// so they count as unset and the local run supplies its own key and token.
/// </summary>
public sealed class StackFile
{
    private readonly Dictionary<string, string> _values;

    private StackFile(string path, string stackName, Dictionary<string, string> values, IReadOnlyList<string> secretKeys, string? awsRegion)
    {
        AwsRegion = awsRegion;
        Path = path;
        StackName = stackName;
        _values = values;
        EncryptedKeys = secretKeys;
    }

    public string Path { get; }
    public string StackName { get; }

    /// <summary>The AWS provider's region for this stack (<c>aws:region</c>), or null when the file does not set it.</summary>
    public string? AwsRegion { get; }

    /// <summary>Every readable project value, keyed without the project prefix.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>
    /// What the README's config table shows for this stack: each value set, lists comma-separated, and "(secret)" for
    /// every secret key, encrypted or not: a secret set in plain text by mistake is never copied into the README.
    /// </summary>
    public IReadOnlyDictionary<string, string> DocumentedValues =>
        _values.Where(kv => !IsSecretKey(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value.StartsWith('[') ? string.Join(", ", JsonSerializer.Deserialize<string[]>(kv.Value)!) : kv.Value)
            .Concat(_values.Keys.Where(IsSecretKey).Concat(EncryptedKeys).Distinct().Select(key => KeyValuePair.Create(key, "(secret)")))
            .ToDictionary();

    private static bool IsSecretKey(string key) => ConfigKeys.All.Any(setting => setting.Name == key && setting.SetWithSecret);

    /// <summary>Whether the file keeps a key's value encrypted (<c>secure:</c>), for <see cref="StageSettings.Load"/>.</summary>
    public bool IsEncrypted(string key) => EncryptedKeys.Contains(key);

    /// <summary>Keys whose values are encrypted in the file.</summary>
    public IReadOnlyList<string> EncryptedKeys { get; }

    /// <summary>The value of a project key (without the <c>items-api:</c> prefix), or null.</summary>
    public string? Get(string key) => _values.GetValueOrDefault(key);

    /// <summary>
    /// Config for the local run: the file's values, with the local bearer token's hash standing in for
    /// encrypted authorizer hashes (an encrypted API key simply counts as unset: the local run has its own).
    /// </summary>
    public Func<string, string?> LocalConfig(string localTokenHash) => key =>
        key == ConfigKeys.AuthorizerTokenHashes.Name && IsEncrypted(key) ? localTokenHash : Get(key);

    public static StackFile Load(string repositoryRoot, string stackName)
    {
        string path = ProjectFiles.StackFile(repositoryRoot, stackName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No stack file {path}. Use --stack with one of: {string.Join(", ", ProjectFiles.StackNames(repositoryRoot))}.", path);

        var yaml = new YamlStream();
        using (var reader = new StreamReader(path)) yaml.Load(reader);

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var encrypted = new List<string>();
        string? awsRegion = null;
        if (yaml.Documents.Count > 0
            && yaml.Documents[0].RootNode is YamlMappingNode root
            && root.Children.TryGetValue(new YamlScalarNode("config"), out YamlNode? configNode)
            && configNode is YamlMappingNode config)
        {
            string prefix = ConfigKeys.Project + ":";
            // A parsed scalar always has a value (empty text when nothing is written), so Value is never null here.
            foreach ((YamlNode keyNode, YamlNode valueNode) in config.Children)
            {
                string fullKey = ((YamlScalarNode)keyNode).Value!;
                if (fullKey == "aws:region" && valueNode is YamlScalarNode region) awsRegion = region.Value;
                if (!fullKey.StartsWith(prefix, StringComparison.Ordinal)) continue; // aws:region and other providers
                string key = fullKey[prefix.Length..];
                switch (valueNode)
                {
                    case YamlScalarNode scalar:
                        values[key] = scalar.Value!;
                        break;
                    case YamlSequenceNode sequence:
                        values[key] = JsonSerializer.Serialize(sequence.Children.Select(item => ((YamlScalarNode)item).Value!).ToArray());
                        break;
                    case YamlMappingNode mapping when mapping.Children.ContainsKey(new YamlScalarNode("secure")):
                        encrypted.Add(key);
                        break;
                    default:
                        throw new InvalidDataException($"{path}: {fullKey} has a value this program does not read.");
                }
            }
        }
        return new StackFile(path, stackName, values, encrypted, awsRegion);
    }
}
