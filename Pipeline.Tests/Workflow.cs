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

    /// <summary>The file's lines as written, comments included (YamlDotNet drops comments).</summary>
    public string[] Lines() => File.ReadAllLines(Path.Combine(Directory, Name));

    /// <summary>The environment a job runs in (<c>environment: x</c> or <c>environment: { name: x }</c>), or null.</summary>
    public static string? EnvironmentOf(YamlMappingNode job) => Get(job, "environment") ?? Get(job, "environment", "name");

    /// <summary>The file name of the workflow in this repository that a job calls (<c>uses: ./.github/workflows/x.yml</c>), or null.</summary>
    public static string? CalledWorkflow(YamlMappingNode job) =>
        Get(job, "uses") is { } uses && uses.StartsWith("./.github/workflows/", StringComparison.Ordinal) ? Path.GetFileName(uses) : null;

    /// <summary>The keys of the mapping at a path of keys; empty when there is none (or it is not a mapping).</summary>
    public static IReadOnlyList<string> Keys(YamlNode node, params string[] path)
    {
        foreach (string key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? child)) return [];
            node = child;
        }
        return node is YamlMappingNode mapping ? mapping.Children.Keys.Select(Text).ToArray() : [];
    }

    /// <summary>The secrets a reusable workflow declares under <c>on.workflow_call.secrets</c>.</summary>
    public IReadOnlyList<string> DeclaredSecrets => Keys(Document, "on", "workflow_call", "secrets");

    /// <summary>Every scalar value in the file with the path that leads to it, e.g. <c>jobs.deploy.steps[3].env.TOKEN</c>.</summary>
    public IEnumerable<(string Path, string Value)> Scalars() => Scalars(Document, "");

    private static IEnumerable<(string Path, string Value)> Scalars(YamlNode node, string path) => node switch
    {
        YamlScalarNode scalar => [(path, scalar.Value ?? "")],
        YamlSequenceNode list => list.Children.SelectMany((child, index) => Scalars(child, $"{path}[{index}]")),
        YamlMappingNode map => map.Children.SelectMany(entry => Scalars(entry.Value, path.Length == 0 ? Text(entry.Key) : $"{path}.{Text(entry.Key)}")),
        _ => [],
    };

    private static string Text(YamlNode node) => ((YamlScalarNode)node).Value!;
}
