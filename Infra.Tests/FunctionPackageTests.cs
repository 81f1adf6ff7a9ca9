using System.Reflection.PortableExecutable;
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
        Dictionary<string, string> first = Hashes(FunctionPackage.PublishTo(Checkout("a"), NewFolder("out-a"), LambdaArchitecture.X86_64));
        Dictionary<string, string> second = Hashes(FunctionPackage.PublishTo(Checkout("b-longer-path"), NewFolder("out-b"), LambdaArchitecture.X86_64));
        Assert.Contains("ItemsApi.Functions.dll", first.Keys);
        Assert.Equal(first, second);
    }

    [Fact]
    public void The_publish_output_starts_empty_so_no_stale_file_ships()
    {
        string output = NewFolder("out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "Stale.dll"), "from an older build");
        FunctionPackage.PublishTo(ProjectFiles.FindRoot(), output, LambdaArchitecture.X86_64);
        Assert.False(File.Exists(Path.Combine(output, "Stale.dll")));
        Assert.True(File.Exists(Path.Combine(output, "ItemsApi.Functions.dll")));
    }

    [Fact]
    public void The_published_assemblies_are_readytorun_images_for_the_architecture()
    {
        // This machine's NuGet source has the linux-x64 packs (users' have both architectures).
        string output = FunctionPackage.PublishTo(ProjectFiles.FindRoot(), NewFolder("r2r"), LambdaArchitecture.X86_64);
        foreach (string assembly in new[] { "ItemsApi.Functions.dll", "ItemsApi.Core.dll", "AWSSDK.DynamoDBv2.dll", "Amazon.Lambda.Serialization.SystemTextJson.dll" })
        {
            using var pe = new PEReader(File.OpenRead(Path.Combine(output, assembly)));
            // A ReadyToRun image carries a managed native header (precompiled code) next to its IL.
            Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{assembly} is not ReadyToRun");
            // Compiled for x64 Linux: crossgen2 writes the machine XOR the Linux override (0x7B79).
            Assert.Equal(Machine.Amd64, (Machine)((ushort)pe.PEHeaders.CoffHeader.Machine ^ 0x7B79));
        }
        Assert.False(File.Exists(Path.Combine(output, "ItemsApi.Functions")), "no native launcher: Lambda's runtime starts the function");
        Assert.Contains("\"System.Globalization.Invariant\": true", File.ReadAllText(Path.Combine(output, "ItemsApi.Functions.runtimeconfig.json")));
    }

    [Fact]
    public void A_missing_pack_stops_the_build_with_the_pack_and_the_way_out()
    {
        const string restore = "/src/Functions/Functions.csproj : error NU1101: Unable to find package Microsoft.NETCore.App.Runtime.linux-arm64. No packages exist with this id in source(s): mirror\n" +
                               "/src/Functions/Functions.csproj : error NU1101: Unable to find package Microsoft.NETCore.App.Crossgen2.linux-x64. No packages exist with this id in source(s): mirror";
        string message = FunctionPackage.ExplainFailure(restore, LambdaArchitecture.Arm64);
        Assert.Contains("linux-arm64 needs Microsoft.NETCore.App.Crossgen2.linux-x64, Microsoft.NETCore.App.Runtime.linux-arm64", message);
        Assert.Contains("pulumi config set lambdaArchitecture x86_64", message);
        Assert.Contains("public NuGet gallery", message);
        Assert.Contains("failed:", FunctionPackage.ExplainFailure("error CS1002: ; expected", LambdaArchitecture.X86_64));
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
