using System.Runtime.InteropServices;
using ItemsApi.DeployTime.Packaging;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.Functions.Tests;

/// <summary>The Lambda architecture a machine runs natively: x64 hosts build and run x86_64, arm64 hosts arm64.</summary>
public static class NativeTarget
{
    /// <summary>Null on a processor Lambda has no architecture for (the native tests then say so and skip).</summary>
    public static LambdaArchitecture? Host => Of(BuildHost.Current);

    /// <summary>The Lambda architecture of <paramref name="host"/>'s own processor; null when Lambda has none.</summary>
    public static LambdaArchitecture? Of(BuildHost host) => host.Architecture switch
    {
        Architecture.X64 => LambdaArchitecture.X86_64,
        Architecture.Arm64 => LambdaArchitecture.Arm64,
        _ => null,
    };

    /// <summary>The ELF machine of a Lambda architecture's executables.</summary>
    public static ushort ElfMachine(LambdaArchitecture architecture) => architecture == LambdaArchitecture.Arm64 ? ElfFile.AArch64 : ElfFile.X86_64;

    /// <summary>The host's architecture, in a test that <see cref="NativeAot"/> let run.</summary>
    public static LambdaArchitecture RequiredHost => Host ?? throw new InvalidOperationException("no native Lambda architecture on this host");
}

/// <summary>
/// Publishing and running the Native AOT functions for this host's own architecture (linux-x64 on x64, linux-arm64 on
/// arm64), so every Linux host Lambda has an architecture for runs them. Where this machine cannot build them, the test is
/// reported skipped with what is missing (the Debian packages, or the host OS), never passed.
/// </summary>
public sealed class NativeAot : IRequirement
{
    public string? Missing => MissingOn(BuildHost.Current);

    /// <summary>Why <paramref name="host"/> cannot build and run the Native AOT function for its own processor; null when it can.</summary>
    public static string? MissingOn(BuildHost host) => NativeTarget.Of(host) is { } target
        ? MissingFor(host, target)
        : $"runs the native binary on this host: Lambda has no architecture for {host.Architecture}";

    /// <summary>Why <paramref name="host"/> cannot build the Native AOT function for <paramref name="target"/>, in a test's words; null when it can.</summary>
    internal static string? MissingFor(BuildHost host, LambdaArchitecture target)
    {
        if (host.OperatingSystem != BuildHost.Linux) return $"Native AOT builds a Linux executable only on Linux, not on {host.OperatingSystem}";
        IReadOnlyList<string> packages = NativeAotToolchain.MissingPackages(host, target);
        return packages.Count > 0
            ? $"the Native AOT toolchain is missing the Debian packages {string.Join(", ", packages)} (tools/native-aot-toolchain.sh installs them)"
            : NativeAotToolchain.Problem(host, target);
    }
}

/// <summary>
/// The linux-arm64 functions, Lambda's default architecture. On an arm64 host they build and run natively; on an x64 host
/// they are cross-compiled and run under qemu-user, and skipped, with what is missing, without the cross toolchain,
/// qemu-aarch64 or an arm64 OpenSSL (tools/native-aot-toolchain.sh installs all three).
/// </summary>
public sealed class NativeArm64 : IRequirement
{
    /// <summary>Where qemu-aarch64 finds the arm64 C library (libc6-dev-arm64-cross) and, copied there, libssl3:arm64.</summary>
    public const string Arm64SystemRoot = "/usr/aarch64-linux-gnu";

    /// <summary>What starts an arm64 binary here: nothing on an arm64 host, qemu-aarch64 with the arm64 system root elsewhere.</summary>
    public static string[] Runner => RunnerOn(BuildHost.Current);

    /// <summary>What starts an arm64 binary on <paramref name="host"/>.</summary>
    public static string[] RunnerOn(BuildHost host) => NativeTarget.Of(host) == LambdaArchitecture.Arm64 ? [] : ["qemu-aarch64", "-L", Arm64SystemRoot];

    public string? Missing => MissingOn(BuildHost.Current);

    /// <summary>Why <paramref name="host"/> cannot build and run the linux-arm64 function; null when it can.</summary>
    public static string? MissingOn(BuildHost host)
    {
        if (NativeAot.MissingFor(host, LambdaArchitecture.Arm64) is { } missing) return missing;
        if (NativeTarget.Of(host) == LambdaArchitecture.Arm64) return null;
        if (!host.OnPath("qemu-aarch64")) return "runs the linux-arm64 binary under qemu-aarch64: install the Debian package qemu-user";
        if (!host.FileExists(Path.Combine(Arm64SystemRoot, "lib", "libssl.so.3")))
            return $"the arm64 binary loads OpenSSL: libssl3:arm64's libssl.so.3 and libcrypto.so.3 belong in {Arm64SystemRoot}/lib (tools/native-aot-toolchain.sh puts them there)";
        return null;
    }
}
