using System.Runtime.InteropServices;
using ItemsApi.DeployTime.Packaging;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.Functions.Tests;

/// <summary>
/// A test that publishes and runs the Native AOT functions for linux-x64. Where this machine cannot build them, the
/// test is reported skipped with what is missing (the Debian packages, or the host OS), never passed.
/// </summary>
public sealed class NativeAotFactAttribute : FactAttribute
{
    public NativeAotFactAttribute()
    {
        Skip = Missing(LambdaArchitecture.X86_64);
        if (Skip is null && BuildHost.Current.Architecture != Architecture.X64) Skip = "runs the linux-x64 binary: needs an x64 Linux host";
    }

    /// <summary>Why this machine cannot build the Native AOT function for <paramref name="target"/>, in a test's words; null when it can.</summary>
    internal static string? Missing(LambdaArchitecture target)
    {
        BuildHost host = BuildHost.Current;
        if (host.OperatingSystem != BuildHost.Linux) return $"Native AOT builds a Linux executable only on Linux, not on {host.OperatingSystem}";
        IReadOnlyList<string> packages = NativeAotToolchain.MissingPackages(host, target);
        return packages.Count > 0
            ? $"the Native AOT toolchain is missing the Debian packages {string.Join(", ", packages)} (tools/native-aot-toolchain.sh installs them)"
            : NativeAotToolchain.Problem(host, target);
    }
}

/// <summary>
/// A test that cross-compiles the functions for linux-arm64 and runs them under qemu-user. Skipped, with what is
/// missing, without the cross toolchain, qemu-aarch64 or an arm64 OpenSSL (tools/native-aot-toolchain.sh installs all three).
/// </summary>
public sealed class NativeArm64FactAttribute : FactAttribute
{
    /// <summary>Where qemu-aarch64 finds the arm64 C library (libc6-dev-arm64-cross) and, copied there, libssl3:arm64.</summary>
    public const string Arm64SystemRoot = "/usr/aarch64-linux-gnu";

    public NativeArm64FactAttribute()
    {
        BuildHost host = BuildHost.Current;
        Skip = NativeAotFactAttribute.Missing(LambdaArchitecture.Arm64);
        if (Skip is not null) return;
        if (!host.OnPath("qemu-aarch64")) Skip = "runs the linux-arm64 binary under qemu-aarch64: install the Debian package qemu-user";
        else if (!host.FileExists(Path.Combine(Arm64SystemRoot, "lib", "libssl.so.3")))
            Skip = $"the arm64 binary loads OpenSSL: libssl3:arm64's libssl.so.3 and libcrypto.so.3 belong in {Arm64SystemRoot}/lib (tools/native-aot-toolchain.sh puts them there)";
    }
}
