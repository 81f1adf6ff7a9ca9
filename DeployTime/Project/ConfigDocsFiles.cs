using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Project;

/// <summary>
/// Pulumi.yaml's config block and the README's config table as <see cref="ConfigDocs"/> generates them from
/// <see cref="ConfigKeys"/> and the committed stack files. <c>sync-config</c> writes them; a test compares.
/// </summary>
public static class ConfigDocsFiles
{
    public static (string PulumiYaml, string Readme) Generate(string root)
    {
        var stacks = ProjectFiles.StackNames(root).ToDictionary(
            stack => stack, stack => StackFile.Load(root, stack).DocumentedValues);
        return (ConfigDocs.WithConfigBlock(File.ReadAllText(ProjectFiles.ProjectFile(root))),
                ConfigDocs.WithReadmeTable(File.ReadAllText(ProjectFiles.Readme(root)), stacks));
    }

    /// <summary>Rewrites both files; returns the paths that changed.</summary>
    public static IReadOnlyList<string> Write(string root)
    {
        (string pulumiYaml, string readme) = Generate(root);
        var changed = new List<string>();
        foreach ((string path, string content) in new[] { (ProjectFiles.ProjectFile(root), pulumiYaml), (ProjectFiles.Readme(root), readme) })
        {
            if (File.ReadAllText(path) == content) continue;
            File.WriteAllText(path, content);
            changed.Add(path);
        }
        return changed;
    }
}
