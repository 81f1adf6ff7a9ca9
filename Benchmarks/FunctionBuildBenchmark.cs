using System.Diagnostics;
using ItemsApi.DeployTime.Packaging;
using ItemsApi.DeployTime.Project;
using ItemsApi.DeployTime.Settings;
using ItemsApi.TestKit;

namespace ItemsApi.Benchmarks;

/// <summary>
/// The function step of `pulumi preview` and `pulumi up` (FunctionBuildStep, exactly as the program runs it), timed in a
/// copy of the sources so the checkout is untouched, per build kind, for the default arm64:
/// cold (a new checkout: no obj/, no cache), every preview before the cache (the same inputs again, forced to publish),
/// warm (no change: the cached build), and after a one-line change to a file of Core.
/// </summary>
public static class FunctionBuildBenchmark
{
    public static int Run(int runs)
    {
        string root = ProjectFiles.FindRoot();
        string work = Directory.CreateTempSubdirectory("function-build-").FullName;
        try
        {
            DotnetSdk sdk = DotnetSdk.Find(root);
            Console.WriteLine($"The function step of pulumi preview, {runs} run(s) per case, median; .NET SDK {sdk.Version}, {Environment.ProcessorCount} cores, linux-arm64");
            Console.WriteLine();
            Console.WriteLine($"{"build",-12} {"cold (new checkout)",20} {"rebuild, no cache",18} {"warm (no change)",17} {"one-line Core change",21}");
            foreach (FunctionBuild build in new[] { FunctionBuild.ReadyToRun, FunctionBuild.NativeAot })
            {
                if (build == FunctionBuild.NativeAot && NativeAotToolchain.Problem(BuildHost.Current, LambdaArchitecture.Arm64) is { } problem)
                {
                    Console.WriteLine($"{"nativeAot",-12} skipped: {problem}");
                    continue;
                }
                var cold = new List<double>();
                var rebuild = new List<double>();
                var warm = new List<double>();
                var changed = new List<double>();
                for (int run = 0; run < runs; run++)
                {
                    string checkout = Path.Combine(work, $"{build}-{run}");
                    Checkouts.CopyFiles(root, checkout, FunctionBuildInputs.SourceFiles(root).Append(ProjectFiles.ProjectFileName));
                    cold.Add(Time(checkout, build, sdk, force: false));
                    rebuild.Add(Time(checkout, build, sdk, force: true));
                    warm.Add(Time(checkout, build, sdk, force: false));
                    File.AppendAllText(Path.Combine(checkout, "Core", "Routes", "Route.cs"), $"{Environment.NewLine}// a one-line change {run}{Environment.NewLine}");
                    changed.Add(Time(checkout, build, sdk, force: false));
                }
                Console.WriteLine($"{ConfigKeys.FunctionBuild.WordFor(build),-12} {Seconds(cold),20} {Seconds(rebuild),18} {Seconds(warm),17} {Seconds(changed),21}");
            }
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static double Time(string checkout, FunctionBuild build, DotnetSdk sdk, bool force)
    {
        long start = Stopwatch.GetTimestamp();
        // As the program does it, SDK lookup included (FunctionPackage.Publish runs DotnetSdk.Find on every preview).
        FunctionBuildStep.Run(checkout, build, LambdaArchitecture.Arm64, BuildHost.Current, force ? sdk : DotnetSdk.Find(checkout), force, _ => { });
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static string Seconds(List<double> seconds)
    {
        double[] sorted = [.. seconds.Order()];
        return $"{sorted[sorted.Length / 2]:F2} s";
    }
}
