using System.Runtime.InteropServices;
using ItemsApi.DeployTime.Packaging;
using ItemsApi.Core.Runtime;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Tests;

/// <summary>
/// What each functionBuild needs on the host that runs `pulumi up`, how it is published, and where it runs. The rules
/// come from the .NET SDK's Native AOT targets (Microsoft.NETCore.Native.Unix.targets: clang or gcc as the linker;
/// clang --target=&lt;triple&gt; for another processor) and Microsoft's Native AOT prerequisites for Linux.
/// </summary>
public sealed class FunctionBuildTests
{
    /// <summary>A host with exactly these commands on PATH and these files.</summary>
    private static BuildHost Host(string os, Architecture architecture, string[] commands, params string[] files) =>
        new(os, architecture, files.Contains, commands.Contains);

    private static readonly string[] X64CrossToArm64 = ["clang", "objcopy", "aarch64-linux-gnu-ld", "aarch64-linux-gnu-gcc"];

    [Fact]
    public void A_linux_x64_host_with_clang_builds_for_x64_and_with_the_cross_toolchain_for_arm64()
    {
        BuildHost host = Host(BuildHost.Linux, Architecture.X64, X64CrossToArm64, "/usr/aarch64-linux-gnu/lib/crt1.o");
        Assert.Null(NativeAotToolchain.Problem(host, LambdaArchitecture.X86_64));
        Assert.Null(NativeAotToolchain.Problem(host, LambdaArchitecture.Arm64));
    }

    [Fact]
    public void For_its_own_processor_gcc_links_too_but_another_processor_needs_clang()
    {
        BuildHost gccOnly = Host(BuildHost.Linux, Architecture.X64, ["gcc", "objcopy", "aarch64-linux-gnu-ld", "aarch64-linux-gnu-gcc"], "/usr/aarch64-linux-gnu/lib/crt1.o");
        Assert.Empty(NativeAotToolchain.MissingPackages(gccOnly, LambdaArchitecture.X86_64));
        Assert.Equal(["clang"], NativeAotToolchain.MissingPackages(gccOnly, LambdaArchitecture.Arm64));
    }

    [Fact]
    public void A_bare_linux_host_is_told_every_missing_package_and_the_three_ways_out()
    {
        BuildHost bare = Host(BuildHost.Linux, Architecture.X64, []);
        Assert.Equal("functionBuild nativeAot for arm64 (linux-arm64) cannot be built on this machine: it lacks the Debian/Ubuntu packages " +
                     "clang, binutils, binutils-aarch64-linux-gnu, gcc-aarch64-linux-gnu, libc6-dev-arm64-cross. Ways out: install them " +
                     "(`sudo apt-get install clang binutils binutils-aarch64-linux-gnu gcc-aarch64-linux-gnu libc6-dev-arm64-cross`); " +
                     "or build the managed code instead: `pulumi config set functionBuild readyToRun`; or run `pulumi up` from a Linux machine " +
                     "that has them (CI, WSL, a container). Nothing was deployed.",
            NativeAotToolchain.Problem(bare, LambdaArchitecture.Arm64));
        Assert.Equal(["clang", "binutils"], NativeAotToolchain.MissingPackages(bare, LambdaArchitecture.X86_64));
    }

    [Fact]
    public void An_arm64_linux_host_cross_compiles_x64_with_the_x86_64_toolchain()
    {
        BuildHost arm64 = Host(BuildHost.Linux, Architecture.Arm64, ["clang", "objcopy"]);
        Assert.Empty(NativeAotToolchain.MissingPackages(arm64, LambdaArchitecture.Arm64));
        Assert.Equal(["binutils-x86-64-linux-gnu", "gcc-x86-64-linux-gnu", "libc6-dev-amd64-cross"], NativeAotToolchain.MissingPackages(arm64, LambdaArchitecture.X86_64));
        BuildHost ready = Host(BuildHost.Linux, Architecture.Arm64, ["clang", "objcopy", "x86_64-linux-gnu-ld", "x86_64-linux-gnu-gcc"], "/usr/x86_64-linux-gnu/lib/crt1.o");
        Assert.Null(NativeAotToolchain.Problem(ready, LambdaArchitecture.X86_64));
    }

    [Theory]
    [InlineData("macOS")]
    [InlineData("Windows")]
    public void Macos_and_windows_cannot_build_a_linux_executable_and_are_told_so_whatever_they_have_installed(string os)
    {
        BuildHost host = Host(os, Architecture.Arm64, ["clang", "gcc", "objcopy"]);
        string problem = NativeAotToolchain.Problem(host, LambdaArchitecture.Arm64)!;
        Assert.StartsWith($"functionBuild nativeAot for arm64 (linux-arm64) cannot be built on {os}: Native AOT links a Linux executable only on Linux.", problem);
        Assert.Contains("`pulumi config set functionBuild readyToRun`", problem);
        Assert.Contains("run `pulumi up` from Linux with clang installed (CI, WSL, a container)", problem);
    }

    [Fact]
    public void A_linux_host_on_another_processor_is_told_the_compiler_runs_on_x64_and_arm64()
    {
        string problem = NativeAotToolchain.Problem(Host(BuildHost.Linux, Architecture.RiscV64, ["clang", "objcopy"]), LambdaArchitecture.X86_64)!;
        Assert.Contains("cannot be built on a RiscV64 Linux host: the Native AOT compiler runs on x64 and arm64", problem);
    }

    [Theory]
    [InlineData(FunctionBuild.NativeAot, LambdaArchitecture.Arm64, "linux-arm64", "--self-contained true -p:PublishAot=true -p:StripSymbols=true")]
    [InlineData(FunctionBuild.ReadyToRun, LambdaArchitecture.X86_64, "linux-x64", "--self-contained false -p:PublishReadyToRun=true")]
    public void Each_build_publishes_deterministically_for_its_architecture(FunctionBuild build, LambdaArchitecture architecture, string runtimeIdentifier, string buildArguments)
    {
        string root = Path.Combine(Path.GetTempPath(), "checkout");
        string arguments = string.Join(" ", FunctionPublisher.Arguments(root, "/out", build, architecture));
        Assert.StartsWith($"publish {Path.Combine("Functions", "Functions.csproj")} -c Release -o /out --nologo -r {runtimeIdentifier} ", arguments);
        // No checkout path in what is built, so every machine builds the same bytes.
        Assert.Contains($"-p:Deterministic=true -p:ContinuousIntegrationBuild=true -p:PathMap={root}{Path.DirectorySeparatorChar}=/src/", arguments);
        Assert.EndsWith(buildArguments, arguments);
    }

    [Fact]
    public void A_missing_pack_stops_the_build_with_the_pack_and_the_way_out()
    {
        const string restore = "/src/Functions/Functions.csproj : error NU1101: Unable to find package runtime.linux-arm64.Microsoft.DotNet.ILCompiler. No packages exist with this id in source(s): mirror\n" +
                               "/src/Functions/Functions.csproj : error NU1101: Unable to find package Microsoft.NETCore.App.Runtime.linux-arm64. No packages exist with this id in source(s): mirror";
        string message = FunctionPublisher.ExplainFailure(restore, FunctionBuild.NativeAot, LambdaArchitecture.Arm64);
        Assert.Contains("Publishing Functions/ as nativeAot for linux-arm64 needs Microsoft.NETCore.App.Runtime.linux-arm64, runtime.linux-arm64.Microsoft.DotNet.ILCompiler", message);
        Assert.Contains("`pulumi config set lambdaArchitecture x86_64`", message);
        Assert.Contains("public NuGet gallery", message);
        Assert.Contains("not shipped as another build than nativeAot", message);
        Assert.StartsWith("dotnet publish Functions/ failed:", FunctionPublisher.ExplainFailure("error CS1002: ; expected", FunctionBuild.ReadyToRun, LambdaArchitecture.X86_64));
    }

    [Fact]
    public void A_missing_pack_for_x64_points_to_arm64_and_names_each_pack_once()
    {
        const string restore = "error NU1102: Unable to find package Microsoft.NETCore.App.Crossgen2.linux-x64 with version (>= 10.0.0)\n" +
                               "error NU1101: Unable to find package microsoft.netcore.app.crossgen2.linux-x64. No packages exist with this id\n" +
                               "error NU1101: Unable to find package Microsoft.NETCore.App.Runtime.linux-x64.";
        Assert.Equal("Publishing Functions/ as readyToRun for linux-x64 needs Microsoft.NETCore.App.Crossgen2.linux-x64, Microsoft.NETCore.App.Runtime.linux-x64, " +
                     "which your NuGet sources do not have. Add the public NuGet gallery as a package source (`dotnet nuget add source` with its v3 index address), " +
                     "or deploy for an architecture whose packs you have: `pulumi config set lambdaArchitecture arm64`. " +
                     "The function is not shipped as another build than readyToRun.",
            FunctionPublisher.ExplainFailure(restore, FunctionBuild.ReadyToRun, LambdaArchitecture.X86_64));
        Assert.Equal("dotnet publish Functions/ failed:" + Environment.NewLine + "error NU1301: Unable to load the service index",
            FunctionPublisher.ExplainFailure("error NU1301: Unable to load the service index", FunctionBuild.NativeAot, LambdaArchitecture.Arm64));
    }

    [Fact]
    public void A_linux_host_on_another_processor_gets_the_whole_message()
    {
        Assert.Equal("functionBuild nativeAot for x86_64 (linux-x64) cannot be built on a RiscV64 Linux host: the Native AOT compiler runs on x64 and arm64. " +
                     "Ways out: build the managed code instead: `pulumi config set functionBuild readyToRun`; or run `pulumi up` from an x64 or arm64 Linux machine. Nothing was deployed.",
            NativeAotToolchain.Problem(Host(BuildHost.Linux, Architecture.RiscV64, ["clang", "objcopy"]), LambdaArchitecture.X86_64));
        Assert.Empty(NativeAotToolchain.MissingPackages(Host(BuildHost.Linux, Architecture.RiscV64, []), LambdaArchitecture.X86_64));
        Assert.Empty(NativeAotToolchain.MissingPackages(Host("macOS", Architecture.Arm64, []), LambdaArchitecture.Arm64));
    }

    [Fact]
    public void A_mac_gets_the_whole_message()
    {
        Assert.Equal("functionBuild nativeAot for x86_64 (linux-x64) cannot be built on macOS: Native AOT links a Linux executable only on Linux. " +
                     "Ways out: build the managed code instead: `pulumi config set functionBuild readyToRun`; or run `pulumi up` from Linux with clang installed (CI, WSL, a container). Nothing was deployed.",
            NativeAotToolchain.Problem(Host("macOS", Architecture.X64, ["clang", "objcopy"]), LambdaArchitecture.X86_64));
    }

    [Theory]
    [InlineData("objcopy")]
    [InlineData("llvm-objcopy")]
    public void Either_objcopy_strips_the_symbols(string objcopy)
    {
        Assert.Empty(NativeAotToolchain.MissingPackages(Host(BuildHost.Linux, Architecture.Arm64, ["clang", objcopy]), LambdaArchitecture.Arm64));
        Assert.Equal(["binutils"], NativeAotToolchain.MissingPackages(Host(BuildHost.Linux, Architecture.Arm64, ["clang"]), LambdaArchitecture.Arm64));
    }

    [Fact]
    public void Each_piece_of_the_cross_toolchain_is_checked_on_its_own()
    {
        string[] all = ["clang", "objcopy", "aarch64-linux-gnu-ld", "aarch64-linux-gnu-gcc"];
        const string crt = "/usr/aarch64-linux-gnu/lib/crt1.o";
        Assert.Equal(["binutils-aarch64-linux-gnu"], NativeAotToolchain.MissingPackages(Host(BuildHost.Linux, Architecture.X64, [.. all.Except(["aarch64-linux-gnu-ld"])], crt), LambdaArchitecture.Arm64));
        Assert.Equal(["gcc-aarch64-linux-gnu"], NativeAotToolchain.MissingPackages(Host(BuildHost.Linux, Architecture.X64, [.. all.Except(["aarch64-linux-gnu-gcc"])], crt), LambdaArchitecture.Arm64));
        Assert.Equal(["libc6-dev-arm64-cross"], NativeAotToolchain.MissingPackages(Host(BuildHost.Linux, Architecture.X64, all), LambdaArchitecture.Arm64));
    }

    [Fact]
    public void This_machine_is_described_as_it_is()
    {
        BuildHost host = BuildHost.Current;
        Assert.Equal(RuntimeInformation.OSArchitecture, host.Architecture);
        Assert.True(host.FileExists(typeof(BuildHost).Assembly.Location));
        Assert.False(host.FileExists(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))));
        Assert.False(host.OnPath("no-such-command-" + Guid.NewGuid().ToString("N")));
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(BuildHost.Linux, host.OperatingSystem);
            Assert.True(host.OnPath("sh"));
        }
        if (OperatingSystem.IsMacOS()) Assert.Equal("macOS", host.OperatingSystem);
        if (OperatingSystem.IsWindows()) Assert.Equal("Windows", host.OperatingSystem);
    }

    [Theory]
    [InlineData("LINUX", "Linux")]
    [InlineData("MACOS", "macOS")]
    [InlineData("WINDOWS", "Windows")]
    [InlineData("FREEBSD", "FreeBSD")]
    [InlineData("ILLUMOS", "illumos 11.4")]
    public void A_host_is_named_as_the_toolchain_messages_name_it(string platform, string name) =>
        Assert.Equal(name, BuildHost.OperatingSystemName(p => string.Equals(p, platform, StringComparison.OrdinalIgnoreCase), "illumos 11.4"));

    [Theory]
    [InlineData(LambdaArchitecture.Arm64, "linux-arm64")]
    [InlineData(LambdaArchitecture.X86_64, "linux-x64")]
    public void Each_lambda_architecture_is_a_linux_runtime_identifier(LambdaArchitecture architecture, string runtimeIdentifier) =>
        Assert.Equal(runtimeIdentifier, FunctionPublisher.RuntimeIdentifier(architecture));

    [Fact]
    public void Trim_and_aot_warnings_are_collected_once_each_and_other_lines_are_not()
    {
        const string log = """
              Functions -> /src/Functions/bin/Release/net10.0/linux-x64/ItemsApi.Functions.dll
              Generating native code
            /src/Core/Settings/X.cs(69,74): warning IL2026: Using member 'JsonSerializer.Serialize<TValue>' [/src/Core/Core.csproj]
            ILC : Trim analysis warning IL2104: Assembly 'Some.Package' produced trim warnings. [/src/Functions/Functions.csproj]
            /src/Core/Settings/X.cs(69,74): warning IL2026: Using member 'JsonSerializer.Serialize<TValue>' [/src/Core/Core.csproj]
              0 Warning(s)
            """;
        Assert.Equal(
            ["/src/Core/Settings/X.cs(69,74): warning IL2026: Using member 'JsonSerializer.Serialize<TValue>' [/src/Core/Core.csproj]",
             "ILC : Trim analysis warning IL2104: Assembly 'Some.Package' produced trim warnings. [/src/Functions/Functions.csproj]"],
            FunctionPublisher.Warnings(log));
    }

    [Theory]
    [InlineData(FunctionBuild.NativeAot, "provided.al2023", "items", "authorizer")]
    [InlineData(FunctionBuild.ReadyToRun, "dotnet10", FunctionContract.ItemsHandler, FunctionContract.AuthorizerHandler)]
    public void Each_build_names_its_runtime_and_handler_strings(FunctionBuild build, string runtime, string items, string authorizer)
    {
        Assert.Equal(runtime, FunctionHandlers.RuntimeFor(build));
        Assert.Equal(items, FunctionHandlers.ItemsHandlerFor(build));
        Assert.Equal(authorizer, FunctionHandlers.AuthorizerHandlerFor(build));
    }
}
