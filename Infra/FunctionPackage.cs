using System.Diagnostics;
using Pulumi;

namespace ItemsApi.Infra;

/// <summary>Builds the Lambda code archive from the Functions project.</summary>
public static class FunctionPackage
{
    /// <summary>
    /// Runs <c>dotnet publish Functions -c Release</c> into Infra/bin/function-package and returns it as an
    /// archive. The output is framework-dependent and portable, so it runs on arm64 and x86_64 alike.
    /// An unchanged publish produces identical files, so Pulumi sees no change to the code.
    /// </summary>
    public static Archive Publish()
    {
        string root = RepositoryRoot();
        string output = Path.Combine(root, "Infra", "bin", "function-package");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[] { "publish", Path.Combine("Functions", "Functions.csproj"), "-c", "Release", "-o", output, "--nologo", "-p:GenerateDocumentationFile=false" })
            start.ArgumentList.Add(argument);

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet to publish Functions/.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish Functions/ failed ({process.ExitCode}):{Environment.NewLine}{stdout.Result}{stderr.Result}");
        return new FileArchive(output);
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Pulumi.yaml"))) return directory.FullName;
        throw new InvalidOperationException("Pulumi.yaml not found above the working directory.");
    }
}
