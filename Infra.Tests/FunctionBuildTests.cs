using System.Runtime.InteropServices;
using ItemsApi.Core.Auth;
using ItemsApi.DeployTime.Packaging;
using ItemsApi.Core.Runtime;
using ItemsApi.DeployTime.Settings;
using Pulumi.Testing;
using static ItemsApi.Infra.Tests.StackRun;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.Infra.Tests;

/// <summary>What each functionBuild deploys, and what `pulumi up` does on a host that cannot build it.</summary>
public sealed class FunctionBuildTests
{
    [Theory]
    [InlineData("nativeAot", "arm64", "provided.al2023", FunctionContract.ItemsEntryPoint, FunctionContract.AuthorizerEntryPoint)]
    [InlineData("nativeAot", "x86_64", "provided.al2023", FunctionContract.ItemsEntryPoint, FunctionContract.AuthorizerEntryPoint)]
    [InlineData("readyToRun", "arm64", "dotnet10", FunctionContract.ItemsHandler, FunctionContract.AuthorizerHandler)]
    [InlineData("readyToRun", "x86_64", "dotnet10", FunctionContract.ItemsHandler, FunctionContract.AuthorizerHandler)]
    public async Task Each_build_runs_both_functions_on_its_runtime_with_its_handlers_on_the_stage_architecture(
        string build, string architecture, string runtime, string itemsHandler, string authorizerHandler)
    {
        StackRun run = await RunAsync(new Dictionary<string, string>
        {
            ["functionBuild"] = build, ["lambdaArchitecture"] = architecture,
            ["authMode"] = "apiKey+authorizer", ["authorizerTokenHashes"] = BearerTokenAuthorizer.HashToken("a-token"),
        }, secretKeys: ["authorizerTokenHashes"]);

        foreach ((string name, string handler) in new[] { ("items-function", itemsHandler), ("authorizer-function", authorizerHandler) })
        {
            Lambda.Function function = run.Named<Lambda.Function>(name);
            Assert.Equal(runtime, await function.Runtime.GetValueAsync());
            Assert.Equal(handler, await function.Handler.GetValueAsync());
            Assert.Equal([architecture], await function.Architectures.GetItemsAsync());
            Assert.Null(await function.SnapStart.GetValueAsync());
        }
    }

    [Fact]
    public async Task Snapstart_runs_on_the_readytorun_build_only_and_the_native_default_refuses_it_naming_both_keys()
    {
        StackRun readyToRun = await RunAsync(new Dictionary<string, string> { ["functionBuild"] = "readyToRun", ["snapStart"] = "true" });
        Lambda.Function function = readyToRun.Named<Lambda.Function>("items-function");
        Assert.Equal("dotnet10", await function.Runtime.GetValueAsync());
        Assert.Equal("PublishedVersions", (await function.SnapStart.GetDeclaredAsync()).ApplyOn);

        // AWS Lambda Developer Guide, "Improving startup performance with Lambda SnapStart", Supported features and
        // limitations: SnapStart supports the .NET 8 and later managed runtimes; OS-only runtimes (provided.al2023) are not
        // supported. Lambda would refuse the function at `up`, after other resources had changed; config stops it first.
        var mocks = new AwsMocks();
        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => RunAsync(new Dictionary<string, string> { ["snapStart"] = "true" }, mocks: mocks));
        Assert.Contains("items-api:snapStart = 'true' is not valid; expected false when functionBuild is nativeAot", error.ToString());
        Assert.Contains("set functionBuild readyToRun to use it", error.ToString());
        Assert.Empty(mocks.Registered);
    }

    [Fact]
    public async Task A_host_that_cannot_build_native_aot_stops_the_program_before_any_resource_with_one_message()
    {
        var bareLinux = new BuildHost(BuildHost.Linux, Architecture.X64, _ => false, _ => false);
        var mocks = new AwsMocks();
        var log = new List<string>();

        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => Pulumi.Deployment.TestAsync(mocks,
            new TestOptions { ProjectName = ConfigKeys.Project, StackName = "dev", IsPreview = true },
            () => ItemsApiStack.RunAsync(settings => FunctionPackage.Publish(settings, bareLinux, ProjectFiles.FindRoot(), AnySdk, forceRebuild: true, log.Add))));

        Assert.Contains("functionBuild nativeAot for arm64 (linux-arm64) cannot be built on this machine: it lacks the Debian/Ubuntu packages " +
                        "clang, binutils, binutils-aarch64-linux-gnu, gcc-aarch64-linux-gnu, libc6-dev-arm64-cross", error.ToString());
        Assert.Contains("`pulumi config set functionBuild readyToRun`", error.ToString());
        Assert.Empty(mocks.Registered);
        Assert.Empty(log); // nothing was published, and nothing silently built instead
    }

    [Fact]
    public async Task The_function_step_says_in_pulumis_log_whether_it_builds_and_why_or_reuses_the_build_and_ships_the_managed_build_when_chosen()
    {
        string root = ProjectFiles.FindRoot();
        DotnetSdk sdk = DotnetSdk.Find(root);
        var log = new List<string>();
        Pulumi.FileArchive? archive = null;
        StackRun run = await RunAsync(new Dictionary<string, string> { ["functionBuild"] = "readyToRun", ["lambdaArchitecture"] = "x86_64" },
            buildFunctionCode: settings => archive = (Pulumi.FileArchive)FunctionPackage.Publish(settings, BuildHost.Current, root, sdk, forceRebuild: true, log.Add));

        Assert.Equal("dotnet10", await run.Named<Lambda.Function>("items-function").Runtime.GetValueAsync());
        Assert.Matches(@"^building the function [0-9a-f]{12} \(readyToRun, linux-x64\): ITEMS_API_REBUILD_FUNCTIONS is set; publishing the items and authorizer functions\.\.\.$", log[0]);
        Assert.Matches(@"^published the functions \(readyToRun, linux-x64\) in \d+ s: \d+\.\d MB zipped, kept as build [0-9a-f]{12}$", log[1]);
        string shipped = Path.Combine(root, FunctionBuildStep.PublishFolder);
        Assert.True(File.Exists(Path.Combine(shipped, FunctionContract.Assembly + ".dll")));
        Assert.False(File.Exists(Path.Combine(shipped, "Amazon.Lambda.RuntimeSupport.dll")), "the managed runtime brings its own");
        // Pulumi gets the cached zip, not the folder: zipping a folder itself, it would drop the files' modes (pulumi/pulumi #3593).
        string hash = FunctionBuildInputs.Collect(root, FunctionBuild.ReadyToRun, LambdaArchitecture.X86_64, sdk).Hash;
        Assert.Equal(Path.Combine(root, FunctionBuildStep.CacheFolder, hash + ".zip"), PathOf(archive!));

        // The next preview with the same inputs reuses it, and says so.
        log.Clear();
        await RunAsync(new Dictionary<string, string> { ["functionBuild"] = "readyToRun", ["lambdaArchitecture"] = "x86_64" },
            buildFunctionCode: settings => archive = (Pulumi.FileArchive)FunctionPackage.Publish(settings, BuildHost.Current, root, sdk, forceRebuild: false, log.Add));
        Assert.Equal([$"reusing the function build {hash[..12]} (no change to its inputs)"], log);
        Assert.Equal(Path.Combine(root, FunctionBuildStep.CacheFolder, hash + ".zip"), PathOf(archive!));
    }

    /// <summary>An SDK for tests where the build never runs.</summary>
    private static readonly DotnetSdk AnySdk = new("10.0.100", new string('0', 64));

    /// <summary>The path a FileArchive was made from (the SDK keeps it in a non-public property).</summary>
    private static string PathOf(Pulumi.FileArchive archive) =>
        (string)typeof(Pulumi.AssetOrArchive).GetProperty("Value", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(archive)!;
}
