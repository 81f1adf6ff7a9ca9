using System.Text.Json;

namespace ItemsApi.Verify.Tests;

/// <summary>
/// A stand-in <c>pulumi</c>: a shell script in a temp folder that records its arguments and prints the given
/// stack outputs (or fails). <see cref="SearchPath"/> puts the folder first on PATH.
/// </summary>
public sealed class FakePulumi : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("verify-fake-pulumi-").FullName;

    /// <param name="outputs">What `pulumi stack output --json` prints.</param>
    public FakePulumi(object outputs, int exitCode = 0, string stderr = "")
    {
        File.WriteAllText(Path.Combine(_directory, "outputs.json"), JsonSerializer.Serialize(outputs));
        File.WriteAllText(Path.Combine(_directory, "stderr.txt"), stderr);
        string script = Path.Combine(_directory, "pulumi");
        File.WriteAllText(script, $"""
            #!/bin/sh
            printf '%s\n' "$@" > '{_directory}/args'
            cat '{_directory}/outputs.json'
            cat '{_directory}/stderr.txt' >&2
            exit {exitCode}
            """.Replace("\r", ""));
        // A shell script: these tests need a Unix-like system, as the project's machines and CI are.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The folder first, then the usual PATH (for sh and cat).</summary>
    public string SearchPath => _directory + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");

    /// <summary>The arguments of the last call; empty when it was not called.</summary>
    public string[] Arguments
    {
        get
        {
            string file = Path.Combine(_directory, "args");
            return File.Exists(file) ? File.ReadAllLines(file) : [];
        }
    }

    /// <summary>A PATH with no pulumi on it: one folder that does not exist.</summary>
    public static string EmptySearchPath() => Path.Combine(Path.GetTempPath(), $"verify-no-pulumi-{Guid.NewGuid():N}");

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
