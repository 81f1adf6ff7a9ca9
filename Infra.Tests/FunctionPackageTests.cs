using System.Security.Cryptography;
using ItemsApi.Core.Settings;

namespace ItemsApi.Infra.Tests;

/// <summary>The function package that `pulumi up` publishes (a real `dotnet publish` of Functions/).</summary>
public sealed class FunctionPackageTests : IDisposable
{
    private readonly List<string> _folders = [];

    [Fact]
    public void Two_clean_publishes_from_different_checkout_paths_give_byte_identical_files()
    {
        // Identical contents mean identical archives for Pulumi, so a teammate's preview shows no code change.
        Dictionary<string, string> first = Hashes(FunctionPackage.PublishTo(Checkout("a"), NewFolder("out-a")));
        Dictionary<string, string> second = Hashes(FunctionPackage.PublishTo(Checkout("b-longer-path"), NewFolder("out-b")));
        Assert.Contains("ItemsApi.Functions.dll", first.Keys);
        Assert.Equal(first, second);
    }

    [Fact]
    public void The_publish_output_starts_empty_so_no_stale_file_ships()
    {
        string output = NewFolder("out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "Stale.dll"), "from an older build");
        FunctionPackage.PublishTo(ProjectFiles.FindRoot(), output);
        Assert.False(File.Exists(Path.Combine(output, "Stale.dll")));
        Assert.True(File.Exists(Path.Combine(output, "ItemsApi.Functions.dll")));
    }

    /// <summary>A copy of what the publish reads (the two projects and the build files) at a new path.</summary>
    private string Checkout(string name)
    {
        string root = ProjectFiles.FindRoot();
        string copy = NewFolder(name);
        foreach (string file in new[] { "Directory.Build.props", "Directory.Packages.props", "Pulumi.yaml" })
            CopyFile(Path.Combine(root, file), Path.Combine(copy, file));
        foreach (string project in new[] { "Core", "Functions" })
            foreach (string file in Directory.EnumerateFiles(Path.Combine(root, project), "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(root, file);
                if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj")) continue;
                CopyFile(file, Path.Combine(copy, relative));
            }
        return copy;
    }

    private static void CopyFile(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to);
    }

    private string NewFolder(string name)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"function-package-{Guid.NewGuid():N}", name);
        _folders.Add(Path.GetDirectoryName(folder)!);
        return folder;
    }

    private static Dictionary<string, string> Hashes(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(
            file => Path.GetRelativePath(folder, file),
            file => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))));

    public void Dispose()
    {
        foreach (string folder in _folders.Distinct().Where(Directory.Exists)) Directory.Delete(folder, recursive: true);
    }
}
