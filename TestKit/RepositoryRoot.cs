namespace ItemsApi.TestKit;

/// <summary>The repository's root (the folder holding ItemsApi.slnx), for tests that read a source or project file.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "ItemsApi.slnx"))) return folder.FullName;
        throw new InvalidOperationException($"ItemsApi.slnx not found above {AppContext.BaseDirectory}.");
    }
}
