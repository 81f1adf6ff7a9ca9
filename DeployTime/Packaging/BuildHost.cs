using System.Runtime.InteropServices;

namespace ItemsApi.DeployTime.Packaging;

/// <summary>
/// The machine that runs `pulumi up` and so builds the function: its OS, its processor, and what is installed on it.
/// A value, so tests can describe any host (a Mac, an arm64 laptop, a Linux box without clang).
/// </summary>
/// <param name="OperatingSystem">Linux, macOS, Windows or FreeBSD.</param>
/// <param name="Architecture">The host's processor.</param>
/// <param name="FileExists">Whether a file exists (an absolute path).</param>
/// <param name="OnPath">Whether a command of this name is on PATH.</param>
public sealed record BuildHost(string OperatingSystem, Architecture Architecture, Func<string, bool> FileExists, Func<string, bool> OnPath)
{
    public const string Linux = "Linux";

    /// <summary>This machine.</summary>
    public static BuildHost Current { get; } =
        new(OperatingSystemName(System.OperatingSystem.IsOSPlatform, RuntimeInformation.OSDescription), RuntimeInformation.OSArchitecture, File.Exists, IsOnPath);

    /// <summary>The name of the first of these platforms the host is, else its own description.</summary>
    internal static string OperatingSystemName(Func<string, bool> isPlatform, string description) =>
        new[] { Linux, "macOS", "Windows", "FreeBSD" }.FirstOrDefault(isPlatform) ?? description;

    private static bool IsOnPath(string command) =>
        Environment.GetEnvironmentVariable("PATH") is { } path
        && path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(folder => File.Exists(Path.Combine(folder, command)));
}
