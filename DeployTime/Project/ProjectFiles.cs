namespace ItemsApi.DeployTime.Project;

/// <summary>Where the Pulumi project's files are: the repository root holds Pulumi.yaml and one Pulumi.&lt;stack&gt;.yaml per stage.</summary>
public static class ProjectFiles
{
    public const string ProjectFileName = "Pulumi.yaml";

    /// <summary>The folder holding Pulumi.yaml, searched upwards from the working directory, then from the program's own folder.</summary>
    public static string FindRoot() => FindRoot(Directory.GetCurrentDirectory(), AppContext.BaseDirectory);

    internal static string FindRoot(params string[] starts)
    {
        foreach (string start in starts)
            for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
                if (File.Exists(Path.Combine(directory.FullName, ProjectFileName))) return directory.FullName;
        throw new InvalidOperationException($"{ProjectFileName} not found; run from inside the repository.");
    }

    public static string ProjectFile(string root) => Path.Combine(root, ProjectFileName);

    public static string StackFile(string root, string stack) => Path.Combine(root, StackFileName(stack));

    public static string StackFileName(string stack) => $"Pulumi.{stack}.yaml";

    public static string Readme(string root) => Path.Combine(root, "README.md");

    /// <summary>The stacks that have a Pulumi.&lt;stack&gt;.yaml, in name order.</summary>
    public static IReadOnlyList<string> StackNames(string root) =>
        Directory.GetFiles(root, "Pulumi.*.yaml").Select(f => Path.GetFileName(f)["Pulumi.".Length..^".yaml".Length]).Order(StringComparer.Ordinal).ToArray();
}
