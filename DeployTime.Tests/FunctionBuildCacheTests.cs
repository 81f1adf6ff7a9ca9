using ItemsApi.DeployTime.Packaging;
using ItemsApi.DeployTime.Project;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Tests;

/// <summary>
/// The function build's inputs and cache (FunctionBuildInputs, FunctionBuildCache): what makes a new build, what does not,
/// and that only a whole entry is ever reused. Publishing itself, and reusing a real build, are in Functions.Tests.
/// </summary>
public sealed class FunctionBuildCacheTests : IDisposable
{
    private static readonly DotnetSdk Sdk = new("10.0.401", new string('a', 64));
    private readonly string _checkout = Directory.CreateTempSubdirectory("function-inputs-").FullName;

    public FunctionBuildCacheTests()
    {
        // A checkout holding just what the package is built from, plus files that never reach it.
        string root = ProjectFiles.FindRoot();
        Checkouts.CopyFiles(root, _checkout, FunctionBuildInputs.SourceFiles(root).Concat(["README.md", "Core.Tests/ItemIdTests.cs", "Infra/ItemsApiStack.cs"]));
    }

    public void Dispose() => Directory.Delete(_checkout, recursive: true);

    private string Hash(FunctionBuild build = FunctionBuild.NativeAot, LambdaArchitecture architecture = LambdaArchitecture.Arm64, DotnetSdk? sdk = null) =>
        FunctionBuildInputs.Collect(_checkout, build, architecture, sdk ?? Sdk).Hash;

    private void Append(string file, string text) => File.AppendAllText(Path.Combine(_checkout, file), text);

    [Fact]
    public void The_inputs_are_the_functions_and_every_project_they_reference_and_the_build_files()
    {
        IReadOnlyList<string> files = FunctionBuildInputs.SourceFiles(_checkout);
        Assert.Equal(["Core/Core.csproj", "Functions/Functions.csproj"], FunctionBuildInputs.ProjectClosure(_checkout, FunctionBuildInputs.FunctionsProject).Order());
        Assert.Contains("Functions/ItemsFunction.cs", files);
        Assert.Contains("Core/Http/ItemsApiHandler.cs", files);
        Assert.Contains("Directory.Build.props", files);
        Assert.Contains("Directory.Packages.props", files);
        Assert.Contains("global.json", files);
        Assert.DoesNotContain(files, file => file.StartsWith("DeployTime/", StringComparison.Ordinal) || file.Contains("/obj/") || file.Contains("/bin/"));
    }

    [Fact]
    public void The_hash_is_the_same_in_every_checkout_and_every_run()
    {
        Assert.Equal(Hash(), Hash());
        Assert.Equal(FunctionBuildInputs.Collect(ProjectFiles.FindRoot(), FunctionBuild.NativeAot, LambdaArchitecture.Arm64, Sdk).Hash, Hash());
    }

    [Theory]
    [InlineData("Core/Routes/Route.cs", "\n// one more line\n")]
    [InlineData("Functions/Program.cs", "\n")]
    [InlineData("Core/Core.csproj", "<!-- a comment -->")]
    [InlineData("Directory.Build.props", "<!-- a property could go here -->")]
    [InlineData("Directory.Packages.props", "\n")]
    [InlineData("global.json", "\n")]
    public void Each_file_the_package_is_built_from_changes_the_hash(string file, string added)
    {
        string before = Hash();
        Append(file, added);
        Assert.NotEqual(before, Hash());
    }

    [Fact]
    public void A_new_file_in_a_referenced_project_changes_the_hash()
    {
        string before = Hash();
        File.WriteAllText(Path.Combine(_checkout, "Core", "Items", "NewThing.cs"), "namespace X;");
        Assert.NotEqual(before, Hash());
    }

    [Fact]
    public void The_build_kind_the_architecture_and_the_sdk_each_change_the_hash()
    {
        string[] hashes =
        [
            Hash(),
            Hash(build: FunctionBuild.ReadyToRun),
            Hash(architecture: LambdaArchitecture.X86_64),
            Hash(sdk: Sdk with { Version = "10.0.402" }),
            Hash(sdk: Sdk with { BundledVersionsSha256 = new string('b', 64) }), // another ILCompiler or runtime pack version
        ];
        Assert.Equal(hashes.Length, hashes.Distinct().Count());
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData("Core.Tests/ItemIdTests.cs")]
    [InlineData("Infra/ItemsApiStack.cs")]
    [InlineData("Core/bin/Debug/stale.dll")]
    [InlineData("Functions/obj/project.assets.json")]
    public void Files_that_never_reach_the_package_leave_the_hash_alone(string file)
    {
        string before = Hash();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_checkout, file))!);
        Append(file, "\nchanged\n");
        Assert.Equal(before, Hash());
    }

    [Fact]
    public void A_stored_build_is_reused_and_what_changed_is_named_when_it_is_not()
    {
        var cache = new FunctionBuildCache(Path.Combine(_checkout, "cache"));
        var inputs = FunctionBuildInputs.Collect(_checkout, FunctionBuild.NativeAot, LambdaArchitecture.Arm64, Sdk);
        Assert.Equal(new CacheLookup(null, "no earlier build in the cache"), cache.Lookup(inputs));

        string zip = cache.Store(inputs, Zip("the package"));
        Assert.Equal(new CacheLookup(zip, $"reusing the function build {inputs.ShortHash} (no change to its inputs)"), cache.Lookup(inputs));
        Assert.Equal("the package", File.ReadAllText(zip));

        Append("Core/Routes/Route.cs", "\n");
        var changed = FunctionBuildInputs.Collect(_checkout, FunctionBuild.NativeAot, LambdaArchitecture.Arm64, Sdk);
        Assert.Equal(new CacheLookup(null, $"Core/Routes/Route.cs changed since the last build {inputs.ShortHash}"), cache.Lookup(changed));
        var otherBuild = FunctionBuildInputs.Collect(_checkout, FunctionBuild.ReadyToRun, LambdaArchitecture.Arm64, Sdk with { Version = "10.0.402" });
        Assert.Equal($"Core/Routes/Route.cs changed, build readyToRun is new, sdk 10.0.402 is new and 2 more since the last build {inputs.ShortHash}",
            cache.Lookup(otherBuild).Reason);
    }

    [Fact]
    public void A_damaged_or_partial_entry_is_never_reused()
    {
        var cache = new FunctionBuildCache(Path.Combine(_checkout, "cache"));
        var inputs = FunctionBuildInputs.Collect(_checkout, FunctionBuild.NativeAot, LambdaArchitecture.Arm64, Sdk);
        string zip = cache.Store(inputs, Zip("the whole package"));

        File.WriteAllText(zip, "the whole"); // cut short
        Assert.Equal($"the cached build {inputs.ShortHash} is damaged (9 bytes, not 17)", cache.Lookup(inputs).Reason);
        File.WriteAllText(zip, "THE WHOLE PACKAGE"); // same size, other bytes
        Assert.Equal($"the cached build {inputs.ShortHash} is damaged (its zip's SHA-256 differs from the one recorded)", cache.Lookup(inputs).Reason);
        File.Delete(zip);
        Assert.Equal($"the cached build {inputs.ShortHash} is damaged (its zip is missing)", cache.Lookup(inputs).Reason);

        // A build killed between writing the zip and its record: the zip alone does not count.
        cache.Store(inputs, Zip("the whole package"));
        File.Delete(Path.Combine(cache.Folder, inputs.Hash + ".json"));
        Assert.Null(cache.Lookup(inputs).Zip);
        // A record that is not JSON does not count either.
        cache.Store(inputs, Zip("the whole package"));
        File.WriteAllText(Path.Combine(cache.Folder, inputs.Hash + ".json"), "{ not json");
        Assert.Null(cache.Lookup(inputs).Zip);

        // Storing again makes it whole.
        cache.Store(inputs, Zip("the whole package"));
        Assert.NotNull(cache.Lookup(inputs).Zip);
    }

    [Fact]
    public void The_cache_keeps_the_most_recently_used_builds_and_clears_what_a_killed_build_left()
    {
        var cache = new FunctionBuildCache(Path.Combine(_checkout, "cache"));
        var builds = new List<FunctionBuildInputs>();
        for (int i = 0; i < FunctionBuildCache.Keep + 2; i++)
        {
            var inputs = FunctionBuildInputs.Collect(_checkout, FunctionBuild.NativeAot, LambdaArchitecture.Arm64, Sdk with { Version = $"10.0.{i}" });
            cache.Store(inputs, Zip($"build {i}"));
            File.SetLastWriteTimeUtc(Path.Combine(cache.Folder, inputs.Hash + ".json"), DateTime.UtcNow.AddMinutes(i - 100));
            builds.Add(inputs);
        }
        Assert.NotNull(cache.Lookup(builds[0]).Zip); // using the oldest makes it the most recent
        string leftover = Path.Combine(cache.Folder, "abc.123.tmp");
        File.WriteAllText(leftover, "half a zip");
        File.SetLastWriteTimeUtc(leftover, DateTime.UtcNow.AddHours(-2));

        cache.Prune();

        Assert.NotNull(cache.Lookup(builds[0]).Zip);
        Assert.Null(cache.Lookup(builds[1]).Zip);
        Assert.Null(cache.Lookup(builds[2]).Zip);
        Assert.All(builds.Skip(3), build => Assert.NotNull(cache.Lookup(build).Zip));
        Assert.Equal(FunctionBuildCache.Keep * 2, Directory.GetFiles(cache.Folder).Length); // a zip and a record each
        Assert.False(File.Exists(leftover));
    }

    [Fact]
    public async Task Concurrent_builds_of_the_same_inputs_build_once_and_leave_one_whole_entry()
    {
        var cache = new FunctionBuildCache(Path.Combine(_checkout, "cache"));
        var inputs = FunctionBuildInputs.Collect(_checkout, FunctionBuild.NativeAot, LambdaArchitecture.Arm64, Sdk);
        int builds = 0;
        // What FunctionBuildStep does around a publish: look up, lock, look up again, build and store.
        string Build()
        {
            if (cache.Lookup(inputs).Zip is { } hit) return hit;
            using IDisposable buildLock = cache.Lock(TimeSpan.FromSeconds(30));
            if (cache.Lookup(inputs).Zip is { } built) return built;
            Interlocked.Increment(ref builds);
            Thread.Sleep(300); // a publish takes a while
            return cache.Store(inputs, Zip("the package"));
        }

        string[] zips = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(Build)));

        Assert.Equal(1, builds);
        Assert.Single(zips.Distinct());
        Assert.Equal("the package", File.ReadAllText(zips[0]));
        Assert.Equal(new[] { inputs.Hash + ".json", inputs.Hash + ".zip", "build.lock" }.Order(StringComparer.Ordinal),
            Directory.GetFiles(cache.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("0", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void The_rebuild_variable_forces_a_build(string? value, bool expected) =>
        Assert.Equal(expected, FunctionBuildStep.RebuildRequested(name => name == "ITEMS_API_REBUILD_FUNCTIONS" ? value : null));

    private string Zip(string content)
    {
        string path = Path.Combine(_checkout, $"published-{Guid.NewGuid():N}.zip");
        File.WriteAllText(path, content);
        return path;
    }
}
