using System.Runtime.InteropServices;
using ItemsApi.DeployTime.Packaging;

namespace ItemsApi.Functions.Tests;

/// <summary>
/// Where the Native AOT tests run: every Linux host that can build for its own processor runs them, an arm64 host runs
/// the arm64 binary natively (no qemu), and a skip names what is missing.
/// </summary>
public sealed class NativeAotRequirementsTests
{
    /// <summary>A Linux host with exactly these commands on PATH and these files.</summary>
    private static BuildHost Linux(Architecture architecture, string[] commands, params string[] files) =>
        new(BuildHost.Linux, architecture, files.Contains, commands.Contains);

    [Fact]
    public void An_arm64_host_with_clang_runs_the_native_tests_and_the_arm64_binary_natively()
    {
        BuildHost arm64 = Linux(Architecture.Arm64, ["clang", "objcopy"]);

        Assert.Null(NativeAot.MissingOn(arm64));
        Assert.Null(NativeArm64.MissingOn(arm64));
        Assert.Empty(NativeArm64.RunnerOn(arm64));
    }

    [Fact]
    public void An_x64_host_runs_the_arm64_binary_under_qemu_and_skips_it_naming_what_is_missing()
    {
        string[] cross = ["clang", "objcopy", "aarch64-linux-gnu-ld", "aarch64-linux-gnu-gcc"];
        const string crt = "/usr/aarch64-linux-gnu/lib/crt1.o", ssl = "/usr/aarch64-linux-gnu/lib/libssl.so.3";

        Assert.Null(NativeAot.MissingOn(Linux(Architecture.X64, ["clang", "objcopy"])));
        Assert.Equal(["qemu-aarch64", "-L", NativeArm64.Arm64SystemRoot], NativeArm64.RunnerOn(Linux(Architecture.X64, [])));
        Assert.Contains("binutils-aarch64-linux-gnu", NativeArm64.MissingOn(Linux(Architecture.X64, ["clang", "objcopy"])));
        Assert.Contains("qemu-user", NativeArm64.MissingOn(Linux(Architecture.X64, cross, crt)));
        Assert.Contains("libssl.so.3", NativeArm64.MissingOn(Linux(Architecture.X64, [.. cross, "qemu-aarch64"], crt)));
        Assert.Null(NativeArm64.MissingOn(Linux(Architecture.X64, [.. cross, "qemu-aarch64"], crt, ssl)));
    }

    [Fact]
    public void A_host_that_cannot_build_says_why()
    {
        Assert.Contains("clang", NativeAot.MissingOn(Linux(Architecture.Arm64, ["objcopy"])));
        Assert.Contains("only on Linux", NativeAot.MissingOn(new BuildHost("macOS", Architecture.Arm64, _ => true, _ => true)));
        Assert.Contains("no architecture for X86", NativeAot.MissingOn(Linux(Architecture.X86, ["clang", "objcopy"])));
    }
}
