using System.Runtime.InteropServices;
using ItemsApi.DeployTime.Settings;
using Keys = ItemsApi.DeployTime.Settings.ConfigKeys;

namespace ItemsApi.DeployTime.Packaging;

/// <summary>
/// What a host needs to build the functions as Native AOT for Lambda, checked before anything is built or deployed.
/// Native AOT compiles and links a Linux executable only on Linux, with the platform's C toolchain: the .NET SDK's
/// ILCompiler targets look for clang (or gcc) on PATH, and for another processor than the host's they run clang with
/// --target, which links against that processor's GNU binutils, GCC runtime and C library. zlib, brotli and the
/// runtime's own libraries come inside the ILCompiler packages.
/// </summary>
public static class NativeAotToolchain
{
    /// <summary>A Debian/Ubuntu package, and how to tell it is installed.</summary>
    private sealed record Requirement(string Package, Func<BuildHost, bool> IsInstalled);

    /// <summary>Debian's packages this host lacks to build for <paramref name="target"/>; empty when it can (or when it is not Linux).</summary>
    public static IReadOnlyList<string> MissingPackages(BuildHost host, LambdaArchitecture target) =>
        host.OperatingSystem == BuildHost.Linux && HostArchitecture(host) is { } hostArchitecture
            ? Requirements(hostArchitecture, target).Where(r => !r.IsInstalled(host)).Select(r => r.Package).ToArray()
            : [];

    /// <summary>Why this host cannot build the Native AOT functions for <paramref name="target"/>, with the ways out; null when it can.</summary>
    public static string? Problem(BuildHost host, LambdaArchitecture target)
    {
        string what = $"{Keys.FunctionBuild.Name} nativeAot for {Keys.LambdaArchitecture.WordFor(target)} ({FunctionPublisher.RuntimeIdentifier(target)})";
        string readyToRun = $"build the managed code instead: `pulumi config set {Keys.FunctionBuild.Name} readyToRun`";
        if (host.OperatingSystem != BuildHost.Linux)
            return $"{what} cannot be built on {host.OperatingSystem}: Native AOT links a Linux executable only on Linux. " +
                   $"Ways out: {readyToRun}; or run `pulumi up` from Linux with clang installed (CI, WSL, a container). Nothing was deployed.";
        if (HostArchitecture(host) is null)
            return $"{what} cannot be built on a {host.Architecture} Linux host: the Native AOT compiler runs on x64 and arm64. " +
                   $"Ways out: {readyToRun}; or run `pulumi up` from an x64 or arm64 Linux machine. Nothing was deployed.";
        IReadOnlyList<string> missing = MissingPackages(host, target);
        if (missing.Count == 0) return null;
        string packages = string.Join(" ", missing);
        return $"{what} cannot be built on this machine: it lacks the Debian/Ubuntu packages {string.Join(", ", missing)}. " +
               $"Ways out: install them (`sudo apt-get install {packages}`); or {readyToRun}; " +
               "or run `pulumi up` from a Linux machine that has them (CI, WSL, a container). Nothing was deployed.";
    }

    private static LambdaArchitecture? HostArchitecture(BuildHost host) => host.Architecture switch
    {
        Architecture.X64 => LambdaArchitecture.X86_64,
        Architecture.Arm64 => LambdaArchitecture.Arm64,
        _ => null,
    };

    private static IEnumerable<Requirement> Requirements(LambdaArchitecture host, LambdaArchitecture target)
    {
        // The SDK links with clang, or gcc when there is no clang; for another processor only clang (--target) will do.
        yield return host == target
            ? new Requirement("clang", h => h.OnPath("clang") || h.OnPath("gcc"))
            : new Requirement("clang", h => h.OnPath("clang"));
        yield return new Requirement("binutils", h => h.OnPath("objcopy") || h.OnPath("llvm-objcopy")); // strips the symbols
        if (host == target) yield break;

        // Another processor: clang --target=<triple>, with that processor's GNU toolchain as the linker's sysroot.
        (string triple, string packageTriple, string debianArchitecture) = target == LambdaArchitecture.Arm64
            ? ("aarch64-linux-gnu", "aarch64-linux-gnu", "arm64")
            : ("x86_64-linux-gnu", "x86-64-linux-gnu", "amd64");
        yield return new Requirement($"binutils-{packageTriple}", h => h.OnPath($"{triple}-ld"));
        yield return new Requirement($"gcc-{packageTriple}", h => h.OnPath($"{triple}-gcc"));
        yield return new Requirement($"libc6-dev-{debianArchitecture}-cross", h => h.FileExists($"/usr/{triple}/lib/crt1.o"));
    }
}
