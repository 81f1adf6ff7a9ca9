using ItemsApi.DeployTime.Packaging;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.Functions.Tests;

/// <summary>
/// The function step of `pulumi preview` (FunctionBuildStep) with real publishes: a reused build is the same bytes a fresh
/// publish gives, and previews at once build once. The managed build, which every host can make.
/// </summary>
public sealed class FunctionBuildStepTests
{
    private static readonly DotnetSdk Sdk = DotnetSdk.Find(DeployTime.Project.ProjectFiles.FindRoot());

    private static Task<string> RunAsync(string checkout, bool force, List<string> log) =>
        Task.Run(() => FunctionBuildStep.Run(checkout, FunctionBuild.ReadyToRun, LambdaArchitecture.X86_64, BuildHost.Current, Sdk, force, message =>
        {
            lock (log) log.Add(message);
        }));

    [Fact]
    public async Task A_reused_build_is_byte_for_byte_what_a_fresh_publish_of_the_same_inputs_gives()
    {
        string first = PublishedFunctions.Checkout("step-first");
        string second = PublishedFunctions.Checkout("step-second");
        var log = new List<string>();

        string built = await RunAsync(first, force: false, log);
        string reused = await RunAsync(first, force: false, log);
        string fresh = await RunAsync(second, force: true, log);

        Assert.Equal(built, reused);
        Assert.StartsWith("building the function ", log[0]);
        Assert.Contains(": no earlier build in the cache; publishing", log[0]);
        Assert.StartsWith("reusing the function build ", log[2]);
        Assert.Contains(": ITEMS_API_REBUILD_FUNCTIONS is set; publishing", log[3]);
        Assert.Equal(Path.GetFileName(built), Path.GetFileName(fresh)); // the same inputs' hash in both checkouts
        Assert.Equal(await File.ReadAllBytesAsync(reused), await File.ReadAllBytesAsync(fresh));
    }

    [Fact]
    public async Task Two_previews_at_once_build_once_and_both_ship_the_one_whole_build()
    {
        string checkout = PublishedFunctions.Checkout("step-concurrent");
        var log = new List<string>();

        string[] zips = await Task.WhenAll(RunAsync(checkout, force: false, log), RunAsync(checkout, force: false, log));

        Assert.Single(zips.Distinct());
        Assert.Single(log, line => line.StartsWith("building the function ", StringComparison.Ordinal));
        Assert.Single(log, line => line.EndsWith(", built while this one waited", StringComparison.Ordinal));
        var cache = new FunctionBuildCache(Path.Combine(checkout, FunctionBuildStep.CacheFolder));
        Assert.Equal(zips[0], cache.Lookup(FunctionBuildInputs.Collect(checkout, FunctionBuild.ReadyToRun, LambdaArchitecture.X86_64, Sdk)).Zip);
    }
}
