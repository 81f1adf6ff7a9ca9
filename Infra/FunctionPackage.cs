using System.Diagnostics;
using System.Text.RegularExpressions;
using ItemsApi.Core.Settings;
using Pulumi;

namespace ItemsApi.Infra;

/// <summary>Builds the Lambda code archive from the Functions project.</summary>
public static class FunctionPackage
{
    /// <summary>
    /// Runs <c>dotnet publish Functions -c Release</c> for the stage's architecture into Infra/bin/function-package
    /// and returns it as an archive: framework-dependent (the managed dotnet10 runtime provides .NET) and
    /// ReadyToRun (precompiled for that architecture, so the first request does not wait for the JIT).
    /// </summary>
    public static Archive Publish(StageSettings settings)
    {
        string root = ProjectFiles.FindRoot();
        return new FileArchive(PublishTo(root, Path.Combine(root, "Infra", "bin", "function-package"), settings.LambdaArchitecture));
    }

    /// <summary>The .NET runtime identifier Lambda's architecture runs: arm64 → linux-arm64, x86_64 → linux-x64.</summary>
    public static string RuntimeIdentifier(LambdaArchitecture architecture) =>
        architecture == LambdaArchitecture.Arm64 ? "linux-arm64" : "linux-x64";

    /// <summary>
    /// Publishes <paramref name="root"/>/Functions into <paramref name="output"/>, emptied first so no file of an
    /// older build ships. The build is deterministic and records no checkout path (PathMap), so two clean
    /// publishes of the same sources, on any machine and from any folder, give byte-identical files, and a
    /// teammate's `pulumi preview` shows no code change when there is none.
    /// </summary>
    public static string PublishTo(string root, string output, LambdaArchitecture architecture)
    {
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[]
                 {
                     "publish", Path.Combine("Functions", "Functions.csproj"), "-c", "Release", "-o", output, "--nologo",
                     "-r", RuntimeIdentifier(architecture), "--self-contained", "false", "-p:PublishReadyToRun=true",
                     "-p:GenerateDocumentationFile=false", "-p:Deterministic=true", "-p:ContinuousIntegrationBuild=true",
                     $"-p:PathMap={Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar)}{Path.DirectorySeparatorChar}=/src/",
                 })
            start.ArgumentList.Add(argument);

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet to publish Functions/.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(ExplainFailure(stdout.Result + stderr.Result, architecture));
        return output;
    }

    /// <summary>
    /// Why the publish failed, in words that say what to do. A missing runtime or crossgen pack is the usual
    /// cause (a NuGet source without the packs for that architecture): the build then stops rather than ship
    /// a slower build without ReadyToRun.
    /// </summary>
    internal static string ExplainFailure(string output, LambdaArchitecture architecture)
    {
        string[] missing = Regex.Matches(output, @"NU110[12]: Unable to find package ([A-Za-z0-9_.-]+)")
            .Select(m => m.Groups[1].Value.TrimEnd('.')).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToArray();
        if (missing.Length == 0)
            return $"dotnet publish Functions/ failed:{Environment.NewLine}{output}";
        string other = architecture == LambdaArchitecture.Arm64 ? "x86_64" : "arm64";
        return $"Publishing Functions/ as ReadyToRun for {RuntimeIdentifier(architecture)} needs {string.Join(", ", missing)}, " +
               "which your NuGet sources do not have. Add the public NuGet gallery as a package source " +
               "(`dotnet nuget add source` with its v3 index address), or deploy for an architecture whose packs you have: " +
               $"`pulumi config set {ConfigKeys.LambdaArchitecture.Name} {other}`. The function is not shipped without ReadyToRun, " +
               "which would start slower.";
    }
}
