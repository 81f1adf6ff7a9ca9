using System.IO.Compression;
using ItemsApi.DeployTime.Packaging;
using ItemsApi.Core.Runtime;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Tests;

/// <summary>
/// What `pulumi up` ships: the folder and zip <see cref="FunctionPublisher.Publish"/> makes from what `dotnet publish`
/// wrote, and the zip's bytes. The publish here is of a stand-in Functions.csproj whose Publish target writes a few files
/// and a warning in a second, so these tests need no compiler; Functions.Tests publishes the real function.
/// </summary>
public sealed class FunctionPublisherTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("items-api-publish-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A Functions project that "publishes" the assembly (recording how it was asked to build), its symbols, and one warning.</summary>
    private void StandInProject(string extra = "")
    {
        Directory.CreateDirectory(Path.Combine(_root, "Functions"));
        File.WriteAllText(Path.Combine(_root, "Functions", "Functions.csproj"), $"""
            <Project>
              <Target Name="Restore" />
              <Target Name="Publish">
                <PropertyGroup><Out>$([MSBuild]::EnsureTrailingSlash('$(PublishDir)'))</Out></PropertyGroup>
                <MakeDir Directories="$(Out)" />
                <WriteLinesToFile File="$(Out){FunctionContract.Assembly}" Lines="rid=$(RuntimeIdentifier) aot=$(PublishAot) r2r=$(PublishReadyToRun) self=$(SelfContained) c=$(Configuration)" />
                <WriteLinesToFile File="$(Out){FunctionContract.Assembly}.dbg" Lines="symbols" />
                <Warning Code="IL2026" Text="Using member 'JsonSerializer.Serialize'" File="X.cs" />
                {extra}
              </Target>
            </Project>
            """);
    }

    private static string[] Entries(string zip)
    {
        using ZipArchive archive = ZipFile.OpenRead(zip);
        return archive.Entries.Select(e => e.FullName).ToArray();
    }

    private static string Text(string zip, string entry)
    {
        using ZipArchive archive = ZipFile.OpenRead(zip);
        using var reader = new StreamReader(archive.GetEntry(entry)!.Open());
        return reader.ReadToEnd();
    }

    [Fact]
    public void Native_aot_ships_only_the_executable_named_bootstrap_and_nothing_left_from_an_older_build()
    {
        StandInProject();
        string output = Path.Combine(_root, "out");
        foreach (string folder in new[] { output, output + ".publish" })
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "stale.dll"), "from an older build");
        }
        File.WriteAllText(output + ".zip", "an older zip");

        PublishedFunction published = FunctionPublisher.Publish(_root, output, FunctionBuild.NativeAot, LambdaArchitecture.Arm64);

        Assert.Equal(output, published.Folder);
        Assert.Equal(output + ".zip", published.Zip);
        Assert.Equal([FunctionContract.NativeExecutable], Directory.GetFiles(output).Select(Path.GetFileName));
        Assert.Equal("rid=linux-arm64 aot=true r2r= self=true c=Release", File.ReadAllText(Path.Combine(output, "bootstrap")).Trim());
        // The symbols stay next to the publish, for reading a crash's stack; they are not shipped.
        Assert.Equal([FunctionContract.Assembly, FunctionContract.Assembly + ".dbg"], Directory.GetFiles(output + ".publish").Select(Path.GetFileName).Order());
        Assert.Equal([FunctionContract.NativeExecutable], Entries(published.Zip));
        Assert.Equal(File.ReadAllText(Path.Combine(output, "bootstrap")), Text(published.Zip, "bootstrap"));
        Assert.Equal(["X.cs : warning IL2026: Using member 'JsonSerializer.Serialize' [" + Path.Combine(_root, "Functions", "Functions.csproj") + "]"], published.Warnings);
        Assert.True(published.Duration > TimeSpan.Zero);
    }

    [Fact]
    public void Ready_to_run_ships_the_publish_folder_itself()
    {
        StandInProject();
        string output = Path.Combine(_root, "out");

        PublishedFunction published = FunctionPublisher.Publish(_root, output, FunctionBuild.ReadyToRun, LambdaArchitecture.X86_64);

        Assert.Equal([FunctionContract.Assembly, FunctionContract.Assembly + ".dbg"], Directory.GetFiles(output).Select(Path.GetFileName).Order());
        Assert.Equal("rid=linux-x64 aot= r2r=true self=false c=Release", File.ReadAllText(Path.Combine(output, FunctionContract.Assembly)).Trim());
        Assert.False(Directory.Exists(output + ".publish"));
        Assert.Equal([FunctionContract.Assembly, FunctionContract.Assembly + ".dbg"], Entries(published.Zip));
    }

    [Fact]
    public void A_failed_publish_throws_with_its_output_and_ships_nothing()
    {
        StandInProject(extra: """<Error Code="CS1002" Text="; expected" File="Handler.cs" />""");
        string output = Path.Combine(_root, "out");

        var exception = Assert.Throws<InvalidOperationException>(() => FunctionPublisher.Publish(_root, output, FunctionBuild.ReadyToRun, LambdaArchitecture.Arm64));

        Assert.StartsWith("dotnet publish Functions/ failed:" + Environment.NewLine, exception.Message);
        Assert.Contains("Handler.cs : error CS1002: ; expected", exception.Message);
        Assert.False(File.Exists(output + ".zip"));
    }

    [Fact]
    public void The_zip_has_entries_in_name_order_one_fixed_time_and_each_files_mode_readable_by_all()
    {
        string folder = Path.Combine(_root, "package");
        Directory.CreateDirectory(Path.Combine(folder, "b"));
        File.WriteAllText(Path.Combine(folder, "bootstrap"), "executable");
        File.WriteAllText(Path.Combine(folder, "b", "x.json"), "{}");
        File.WriteAllText(Path.Combine(folder, "a.dll"), "assembly");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(folder, "bootstrap"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            File.SetUnixFileMode(Path.Combine(folder, "a.dll"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        string zip = Path.Combine(_root, "package.zip");
        FunctionPublisher.WriteZip(folder, zip);

        using ZipArchive archive = ZipFile.OpenRead(zip);
        Assert.Equal(["a.dll", "b/x.json", "bootstrap"], archive.Entries.Select(e => e.FullName));
        Assert.All(archive.Entries, e => Assert.Equal(new DateTime(2000, 1, 1, 0, 0, 0), e.LastWriteTime.DateTime));
        Assert.Equal("executable", new StreamReader(archive.GetEntry("bootstrap")!.Open()).ReadToEnd());
        if (!OperatingSystem.IsWindows())
        {
            // Lambda runs the code as another user: every file readable by all, bootstrap still executable; S_IFREG set.
            int Mode(string entry) => archive.GetEntry(entry)!.ExternalAttributes >>> 16;
            Assert.Equal(0x8000 | Convert.ToInt32("755", 8), Mode("bootstrap"));
            Assert.Equal(0x8000 | Convert.ToInt32("644", 8), Mode("a.dll"));
        }
    }

    [Fact]
    public void The_same_files_give_the_same_zip_bytes_whenever_they_were_written()
    {
        string folder = Path.Combine(_root, "package");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "bootstrap"), "executable");
        File.WriteAllText(Path.Combine(folder, "a.dll"), "assembly");
        FunctionPublisher.WriteZip(folder, Path.Combine(_root, "first.zip"));

        File.SetLastWriteTimeUtc(Path.Combine(folder, "a.dll"), DateTime.UtcNow.AddDays(-3));
        FunctionPublisher.WriteZip(folder, Path.Combine(_root, "second.zip"));

        Assert.Equal(File.ReadAllBytes(Path.Combine(_root, "first.zip")), File.ReadAllBytes(Path.Combine(_root, "second.zip")));
    }
}
