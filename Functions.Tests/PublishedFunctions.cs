using ItemsApi.DeployTime.Packaging;
using ItemsApi.DeployTime.Settings;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.Functions.Tests;

/// <summary>
/// The function packages the tests run, published once per build and architecture with the same code `pulumi up` uses
/// (<see cref="FunctionPublisher"/>). Publishes run one at a time: they share Functions/obj and Core/bin.
/// </summary>
public static class PublishedFunctions
{
    private static readonly SemaphoreSlim OnePublishAtATime = new(1, 1);
    private static readonly Dictionary<(FunctionBuild, LambdaArchitecture), Task<PublishedFunction>> Cache = [];
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"items-api-functions-{Environment.ProcessId}");

    static PublishedFunctions() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    };

    /// <summary>This checkout's Functions/, published once for <paramref name="build"/> and <paramref name="architecture"/>.</summary>
    public static async Task<PublishedFunction> GetAsync(FunctionBuild build, LambdaArchitecture architecture)
    {
        Task<PublishedFunction> publish;
        lock (Cache)
            if (!Cache.TryGetValue((build, architecture), out publish!))
                Cache[(build, architecture)] = publish = PublishAsync(ProjectFiles.FindRoot(),
                    Path.Combine(Root, $"{build}-{architecture}".ToLowerInvariant()), build, architecture);
        return await publish;
    }

    /// <summary>
    /// A copy, at another path, of the sources the publish reads (FunctionBuildInputs.SourceFiles: the projects and the
    /// build files), and Pulumi.yaml, which marks the root.
    /// </summary>
    public static string Checkout(string name)
    {
        string root = ProjectFiles.FindRoot(), copy = Path.Combine(Root, "checkouts", name);
        Checkouts.CopyFiles(root, copy, FunctionBuildInputs.SourceFiles(root).Append(ProjectFiles.ProjectFileName));
        return copy;
    }

    /// <summary><see cref="FunctionPublisher.Publish"/>, one at a time.</summary>
    public static async Task<PublishedFunction> PublishAsync(string root, string output, FunctionBuild build, LambdaArchitecture architecture)
    {
        await OnePublishAtATime.WaitAsync();
        try
        {
            return await Task.Run(() => FunctionPublisher.Publish(root, output, build, architecture));
        }
        finally
        {
            OnePublishAtATime.Release();
        }
    }

    /// <summary>A folder of this run's own, removed when the test process ends.</summary>
    public static string NewFolder(string name) => Path.Combine(Root, "scratch", $"{name}-{Guid.NewGuid():N}");
}
