using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using ItemsApi.DeployTime.Packaging;
using ItemsApi.Core.Runtime;
using ItemsApi.DeployTime.Settings;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.Functions.Tests;

/// <summary>The function package `pulumi up` ships (a real `dotnet publish` of Functions/ through <see cref="FunctionPublisher"/>).</summary>
public sealed class FunctionPublishTests
{
    [RequiresFact(typeof(NativeAot))]
    public async Task The_native_package_is_one_stripped_bootstrap_for_the_host_architecture_built_without_a_trim_or_aot_warning()
    {
        PublishedFunction published = await PublishedFunctions.GetAsync(FunctionBuild.NativeAot, NativeTarget.RequiredHost);

        // A warning here means code the compiler could not prove safe without reflection: it may fail only on Lambda.
        Assert.Empty(published.Warnings);
        Assert.Equal([FunctionContract.NativeExecutable], Directory.GetFiles(published.Folder).Select(Path.GetFileName));
        string bootstrap = Path.Combine(published.Folder, FunctionContract.NativeExecutable);
        Assert.True(OperatingSystem.IsLinux() && File.GetUnixFileMode(bootstrap).HasFlag(UnixFileMode.UserExecute), "Lambda executes bootstrap");
        ElfFile elf = ElfFile.Read(bootstrap);
        Assert.Equal(NativeTarget.ElfMachine(NativeTarget.RequiredHost), elf.Machine);
        // Stripped: no symbol table or DWARF in what ships; they stay in the .dbg beside the publish folder.
        Assert.DoesNotContain(".symtab", elf.Sections);
        Assert.DoesNotContain(elf.Sections, section => section.StartsWith(".debug_", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(published.Folder + ".publish", FunctionContract.Assembly + ".dbg")));

        // What Lambda receives: the zip, with bootstrap executable (rwxr-xr-x, a regular file) whatever zips it later.
        using ZipArchive zip = ZipFile.OpenRead(published.Zip);
        ZipArchiveEntry entry = Assert.Single(zip.Entries);
        Assert.Equal(FunctionContract.NativeExecutable, entry.FullName);
        Assert.Equal(0x81ED, (entry.ExternalAttributes >> 16) & 0xFFFF); // S_IFREG | 0755
    }

    [RequiresFact(typeof(NativeArm64))]
    public async Task The_arm64_package_is_cross_compiled_for_aarch64_and_stripped()
    {
        PublishedFunction published = await PublishedFunctions.GetAsync(FunctionBuild.NativeAot, LambdaArchitecture.Arm64);
        Assert.Empty(published.Warnings);
        ElfFile elf = ElfFile.Read(Path.Combine(published.Folder, FunctionContract.NativeExecutable));
        Assert.Equal(ElfFile.AArch64, elf.Machine);
        Assert.DoesNotContain(".symtab", elf.Sections);
    }

    [RequiresFact(typeof(NativeAot))]
    public async Task Two_native_publishes_from_different_checkout_paths_give_a_byte_identical_package()
    {
        // Identical contents mean identical archives for Pulumi, so a teammate's preview shows no code change.
        (PublishedFunction first, PublishedFunction second) = await PublishTwoCheckoutsAsync("a", "b-longer-path", FunctionBuild.NativeAot);
        Assert.Equal(Hashes(first.Folder), Hashes(second.Folder));
        Assert.Equal(Hash(first.Zip), Hash(second.Zip)); // the archive Pulumi compares, built at different times
    }

    [Fact]
    public async Task Two_managed_publishes_from_different_checkout_paths_give_byte_identical_files()
    {
        (PublishedFunction first, PublishedFunction second) = await PublishTwoCheckoutsAsync("c", "d-longer-path", FunctionBuild.ReadyToRun);
        Assert.Contains("ItemsApi.Functions.dll", Hashes(first.Folder).Keys);
        Assert.Equal(Hashes(first.Folder), Hashes(second.Folder));
        Assert.Equal(Hash(first.Zip), Hash(second.Zip));
    }

    [Fact]
    public async Task The_managed_package_holds_readytorun_images_for_the_architecture_and_no_runtime_of_its_own()
    {
        PublishedFunction published = await PublishedFunctions.GetAsync(FunctionBuild.ReadyToRun, LambdaArchitecture.X86_64);
        Assert.Empty(published.Warnings);
        foreach (string assembly in new[] { "ItemsApi.Functions.dll", "ItemsApi.Core.dll", "AWSSDK.DynamoDBv2.dll", "Amazon.Lambda.Serialization.SystemTextJson.dll" })
        {
            using var pe = new PEReader(File.OpenRead(Path.Combine(published.Folder, assembly)));
            // A ReadyToRun image carries a managed native header (precompiled code) next to its IL.
            Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{assembly} is not ReadyToRun");
            // Compiled for x64 Linux: crossgen2 writes the machine XOR the Linux override (0x7B79).
            Assert.Equal(Machine.Amd64, (Machine)((ushort)pe.PEHeaders.CoffHeader.Machine ^ 0x7B79));
        }
        Assert.False(File.Exists(Path.Combine(published.Folder, FunctionContract.Assembly)), "no native launcher: Lambda's runtime starts the function");
        // The managed runtime runs its own Amazon.Lambda.RuntimeSupport; a second copy could shadow it.
        Assert.False(File.Exists(Path.Combine(published.Folder, "Amazon.Lambda.RuntimeSupport.dll")));
        Assert.Contains("\"System.Globalization.Invariant\": true", File.ReadAllText(Path.Combine(published.Folder, "ItemsApi.Functions.runtimeconfig.json")));
    }

    [Fact]
    public async Task The_managed_package_ships_only_what_runs_per_request_and_no_deploy_time_code()
    {
        PublishedFunction published = await PublishedFunctions.GetAsync(FunctionBuild.ReadyToRun, LambdaArchitecture.X86_64);
        string[] ours = Directory.GetFiles(published.Folder, "ItemsApi.*.dll").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal(["ItemsApi.Core.dll", "ItemsApi.Functions.dll"], ours);
        Assert.False(File.Exists(Path.Combine(published.Folder, "YamlDotNet.dll")));

        // Core holds only what a request needs: auth, HTTP handling, items, routes and the function's runtime contract.
        using var pe = new PEReader(File.OpenRead(Path.Combine(published.Folder, "ItemsApi.Core.dll")));
        System.Reflection.Metadata.MetadataReader metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        string[] namespaces = metadata.TypeDefinitions.Select(handle => metadata.GetString(metadata.GetTypeDefinition(handle).Namespace))
            .Where(name => name.StartsWith("ItemsApi.", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["ItemsApi.Core.Auth", "ItemsApi.Core.Http", "ItemsApi.Core.Items", "ItemsApi.Core.Routes", "ItemsApi.Core.Runtime"], namespaces);
        Assert.DoesNotContain(metadata.AssemblyReferences, reference => metadata.GetString(metadata.GetAssemblyReference(reference).Name).StartsWith("ItemsApi.DeployTime", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_publish_output_starts_empty_so_no_stale_file_ships()
    {
        string output = PublishedFunctions.NewFolder("stale");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "Stale.dll"), "from an older build");
        await PublishedFunctions.PublishAsync(ProjectFiles.FindRoot(), output, FunctionBuild.ReadyToRun, LambdaArchitecture.X86_64);
        Assert.False(File.Exists(Path.Combine(output, "Stale.dll")));
        Assert.True(File.Exists(Path.Combine(output, "ItemsApi.Functions.dll")));
    }

    /// <summary>Copies the sources to two paths first (so both hold the same files), then publishes each.</summary>
    private static async Task<(PublishedFunction, PublishedFunction)> PublishTwoCheckoutsAsync(string first, string second, FunctionBuild build)
    {
        string[] checkouts = [PublishedFunctions.Checkout(first), PublishedFunctions.Checkout(second)];
        var published = new List<PublishedFunction>();
        foreach (string checkout in checkouts)
            published.Add(await PublishedFunctions.PublishAsync(checkout, Path.Combine(checkout, "out"), build, LambdaArchitecture.X86_64));
        return (published[0], published[1]);
    }

    private static Dictionary<string, string> Hashes(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(file => Path.GetRelativePath(folder, file), Hash);

    private static string Hash(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
}
