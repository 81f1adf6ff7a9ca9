using System.Diagnostics;
using ItemsApi.Core.Settings;
using Pulumi;

namespace ItemsApi.Infra;

/// <summary>Builds the Lambda code archive from the Functions project.</summary>
public static class FunctionPackage
{
    /// <summary>
    /// Runs <c>dotnet publish Functions -c Release</c> into Infra/bin/function-package and returns it as an
    /// archive (framework-dependent and portable: it runs on arm64 and x86_64 alike).
    /// </summary>
    public static Archive Publish(StageSettings settings)
    {
        string root = ProjectFiles.FindRoot();
        return new FileArchive(PublishTo(root, Path.Combine(root, "Infra", "bin", "function-package")));
    }

    /// <summary>
    /// Publishes <paramref name="root"/>/Functions into <paramref name="output"/>, emptied first so no file of an
    /// older build ships. The build is deterministic and records no checkout path (PathMap), so two clean
    /// publishes of the same sources, on any machine and from any folder, give byte-identical files, and a
    /// teammate's `pulumi preview` shows no code change when there is none.
    /// </summary>
    public static string PublishTo(string root, string output)
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
                     "-p:GenerateDocumentationFile=false", "-p:Deterministic=true", "-p:ContinuousIntegrationBuild=true",
                     $"-p:PathMap={Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar)}{Path.DirectorySeparatorChar}=/src/",
                 })
            start.ArgumentList.Add(argument);

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet to publish Functions/.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish Functions/ failed ({process.ExitCode}):{Environment.NewLine}{stdout.Result}{stderr.Result}");
        return output;
    }
}
