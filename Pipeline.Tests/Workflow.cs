using ItemsApi.DeployTime.Settings;
using YamlDotNet.RepresentationModel;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.Pipeline.Tests;

/// <summary>One file of .github/workflows, read as YAML: its triggers, jobs and steps.</summary>
public sealed class Workflow
{
    public static readonly string Root = ProjectFiles.FindRoot();
    public static readonly string Directory = Path.Combine(Root, ".github", "workflows");

    private Workflow(string name, YamlMappingNode document)
    {
        Name = name;
        Document = document;
    }

    public string Name { get; }
    public YamlMappingNode Document { get; }

    /// <summary>Every workflow file's name, e.g. deploy.yml.</summary>
    public static IReadOnlyList<string> Names =>
        System.IO.Directory.GetFiles(Directory).Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    public static Workflow Load(string name)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Directory, name))) yaml.Load(reader);
        return new Workflow(name, (YamlMappingNode)yaml.Documents[0].RootNode);
    }

    /// <summary>The events under <c>on:</c>.</summary>
    public IReadOnlyList<string> Triggers => Document.Children[new YamlScalarNode("on")] switch
    {
        YamlScalarNode single => [single.Value!],
        YamlSequenceNode list => list.Children.Select(Text).ToArray(),
        YamlMappingNode map => map.Children.Keys.Select(Text).ToArray(),
        _ => [],
    };

    public IReadOnlyDictionary<string, YamlMappingNode> Jobs =>
        ((YamlMappingNode)Document.Children[new YamlScalarNode("jobs")]).Children
            .ToDictionary(entry => Text(entry.Key), entry => (YamlMappingNode)entry.Value);

    public static IReadOnlyList<YamlMappingNode> Steps(YamlMappingNode job) =>
        job.Children.TryGetValue(new YamlScalarNode("steps"), out YamlNode? steps) ? ((YamlSequenceNode)steps).Children.Cast<YamlMappingNode>().ToArray() : [];

    /// <summary>The scalar at a path of keys, or null.</summary>
    public static string? Get(YamlNode node, params string[] path)
    {
        foreach (string key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? child)) return null;
            node = child;
        }
        return node is YamlScalarNode scalar ? scalar.Value : null;
    }

    /// <summary>The steps of a job that use an action, e.g. "pulumi/actions" (any version).</summary>
    public static IReadOnlyList<YamlMappingNode> StepsUsing(YamlMappingNode job, string action) =>
        Steps(job).Where(step => Get(step, "uses")?.StartsWith(action + "@", StringComparison.Ordinal) == true).ToArray();

    /// <summary>Every <c>uses:</c> in the file, of jobs and of steps.</summary>
    public IEnumerable<string> AllUses() =>
        Jobs.Values.SelectMany(job => new[] { Get(job, "uses") }.Concat(Steps(job).Select(step => Get(step, "uses")))).OfType<string>();

    public string Text() => File.ReadAllText(Path.Combine(Directory, Name));

    private static string Text(YamlNode node) => ((YamlScalarNode)node).Value!;
}
