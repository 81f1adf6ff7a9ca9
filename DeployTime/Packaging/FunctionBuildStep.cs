using ItemsApi.DeployTime.Settings;
using Keys = ItemsApi.DeployTime.Settings.ConfigKeys;

namespace ItemsApi.DeployTime.Packaging;

/// <summary>
/// The function step of `pulumi preview` and `pulumi up`: reuse the package built from the same inputs, or publish it and
/// keep it under its inputs' hash (<see cref="FunctionBuildCache"/>). Pulumi's log says which, and why a build runs.
/// </summary>
public static class FunctionBuildStep
{
    /// <summary>Set to 1 or true to publish again even when the cache holds a build of the same inputs.</summary>
    public const string RebuildVariable = "ITEMS_API_REBUILD_FUNCTIONS";

    /// <summary>Where the cache lives, under the repository's root (gitignored; the workflows cache this folder).</summary>
    public const string CacheFolder = "Infra/bin/function-builds";

    /// <summary>Where a publish writes before its zip is copied into the cache.</summary>
    public const string PublishFolder = "Infra/bin/function-package";

    /// <summary>The key the workflows' actions/cache step uses for a stage's build: the same hash the program computes.</summary>
    public static string CacheKey(FunctionBuildInputs inputs) => CacheKeyPrefix + inputs.Hash;

    public const string CacheKeyPrefix = "items-api-function-build-";

    /// <summary>The zip to ship. Throws <see cref="InvalidOperationException"/> with what to do when the build cannot run.</summary>
    /// <param name="sdk">The SDK the publish would run with (<see cref="DotnetSdk.Find"/>).</param>
    /// <param name="log">Pulumi's log: the CLI shows it while the program runs, so a compile never looks like a hang.</param>
    public static string Run(string root, FunctionBuild build, LambdaArchitecture architecture, BuildHost host, DotnetSdk sdk,
        bool forceRebuild, Action<string> log)
    {
        var inputs = FunctionBuildInputs.Collect(root, build, architecture, sdk);
        var cache = new FunctionBuildCache(Path.Combine(root, CacheFolder));
        if (!forceRebuild && cache.Lookup(inputs) is { Zip: { } cached } hit)
        {
            log(hit.Reason);
            return cached;
        }

        // One build at a time per checkout: a second preview waits, then finds the first one's build.
        using IDisposable buildLock = cache.Lock(TimeSpan.FromMinutes(30));
        CacheLookup lookup = cache.Lookup(inputs);
        if (!forceRebuild && lookup.Zip is { } built)
        {
            log(lookup.Reason + ", built while this one waited");
            return built;
        }

        string buildWord = Keys.FunctionBuild.WordFor(build);
        string runtimeIdentifier = FunctionPublisher.RuntimeIdentifier(architecture);
        // Checked only when a build runs: a host without the toolchain can still preview with a cached build.
        if (build == FunctionBuild.NativeAot && NativeAotToolchain.Problem(host, architecture) is { } problem)
            throw new InvalidOperationException(problem);

        string why = forceRebuild ? $"{RebuildVariable} is set" : lookup.Reason;
        // A Native AOT compile takes a minute or more: say so, or `pulumi up` looks hung.
        log($"building the function {inputs.ShortHash} ({buildWord}, {runtimeIdentifier}): {why}; publishing the items and authorizer functions...");
        PublishedFunction published = FunctionPublisher.Publish(root, Path.Combine(root, PublishFolder), build, architecture);
        string zip = cache.Store(inputs, published.Zip);
        cache.Prune();
        log($"published the functions ({buildWord}, {runtimeIdentifier}) in {published.Duration.TotalSeconds:F0} s: {new FileInfo(zip).Length / 1024.0 / 1024.0:F1} MB zipped, kept as build {inputs.ShortHash}");
        return zip;
    }

    /// <summary>Whether the environment asks for a rebuild (<see cref="RebuildVariable"/> is 1 or true).</summary>
    public static bool RebuildRequested(Func<string, string?> environment) =>
        environment(RebuildVariable) is { } value && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));
}
