using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;
using ItemsApi.Core.Runtime;
using ItemsApi.DeployTime.Settings;
using Keys = ItemsApi.DeployTime.Settings.ConfigKeys;

namespace ItemsApi.DeployTime.Packaging;

/// <summary>The function code `pulumi up` ships, and what the publish said on the way.</summary>
/// <param name="Folder">What Lambda gets, and nothing else.</param>
/// <param name="Zip">The same files as the zip Lambda receives (<see cref="FunctionPublisher.WriteZip"/>).</param>
/// <param name="Warnings">Every distinct warning line of the publish (trim and AOT analysis included); a clean build has none.</param>
public sealed record PublishedFunction(string Folder, string Zip, IReadOnlyList<string> Warnings, TimeSpan Duration);

/// <summary>
/// Publishes Functions/ for a build and an architecture, the same way for `pulumi up`, the tests and the benchmark.
/// The build is deterministic and records no checkout path (PathMap), so two clean publishes of the same sources, from
/// any folder, give byte-identical files, and a teammate's `pulumi preview` shows no code change when there is none.
/// </summary>
public static partial class FunctionPublisher
{
    /// <summary>
    /// Publishes <paramref name="root"/>/Functions and returns the folder to ship, <paramref name="output"/>, emptied first
    /// so no file of an older build ships.
    /// <list type="bullet">
    /// <item>Native AOT: one executable, <c>bootstrap</c>, for provided.al2023. Its symbols are stripped into
    /// <c>ItemsApi.Functions.dbg</c>, which stays in <c>&lt;output&gt;.publish</c> (for reading a crash's stack) and is not shipped.</item>
    /// <item>ReadyToRun: framework-dependent assemblies, precompiled for the architecture, for the managed dotnet10 runtime.</item>
    /// </list>
    /// Throws with what to do when the publish fails (a missing pack, say): never a slower or different build instead.
    /// </summary>
    public static PublishedFunction Publish(string root, string output, FunctionBuild build, LambdaArchitecture architecture)
    {
        string publish = build == FunctionBuild.NativeAot ? output + ".publish" : output;
        string zip = output + ".zip";
        foreach (string folder in new[] { output, publish })
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        if (File.Exists(zip)) File.Delete(zip); // File.Delete throws when the folder is missing, too

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in Arguments(root, publish, build, architecture)) start.ArgumentList.Add(argument);
        long started = Stopwatch.GetTimestamp();
        using var process = new Process { StartInfo = start };
        process.Start();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string log = process.StandardOutput.ReadToEnd() + stderr.Result;
        // Stryker disable once Statement : no test can tell reliably; once both streams have ended the process has nearly always exited, so a missing wait shows only as a rare race (ExitCode throws before the exit).
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(ExplainFailure(log, build, architecture));

        if (build == FunctionBuild.NativeAot)
        {
            // provided.al2023 starts the file named bootstrap; the rest (symbols, Core's PDB) stays behind.
            Directory.CreateDirectory(output);
            File.Copy(Path.Combine(publish, FunctionContract.Assembly), Path.Combine(output, FunctionContract.NativeExecutable));
        }
        WriteZip(output, zip);
        return new PublishedFunction(output, zip, Warnings(log), Stopwatch.GetElapsedTime(started));
    }

    /// <summary>The search pattern for every file (an empty pattern would mean the same).</summary>
    private const string EveryFile = "*";

    /// <summary>A time every entry of the zip carries, so the same files always give the same bytes.</summary>
    private static readonly DateTimeOffset FixedEntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Zips <paramref name="folder"/> the way Lambda needs it, and the same way every time: entries in name order with
    /// one fixed time, and each file's Unix mode, so <c>bootstrap</c> stays executable (Lambda starts it as it finds it;
    /// Pulumi's own zipping of a folder drops the mode, pulumi/pulumi #3593). Identical files give an identical zip, so
    /// Pulumi sees no code change when there is none.
    /// </summary>
    public static void WriteZip(string folder, string zip)
    {
        using ZipArchive archive = ZipFile.Open(zip, ZipArchiveMode.Create);
        foreach (string file in Directory.EnumerateFiles(folder, EveryFile, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            ZipArchiveEntry entry = archive.CreateEntry(Path.GetRelativePath(folder, file).Replace('\\', '/'), CompressionLevel.Optimal);
            entry.LastWriteTime = FixedEntryTime;
            // Unix permissions live in the upper 16 bits of the external attributes; regular file type bit included.
            // Each file keeps its own mode (bootstrap's execute bits); Windows files have none (GetUnixFileMode throws there).
            UnixFileMode mode = ReadableByAll;
            if (!OperatingSystem.IsWindows()) mode |= File.GetUnixFileMode(file);
            entry.ExternalAttributes = (int)(RegularFile | (uint)mode) << 16;
            using Stream content = entry.Open();
            using FileStream source = File.OpenRead(file);
            source.CopyTo(content);
        }
    }

    /// <summary>Lambda runs the code as another user than the one that owns it: every file must be readable by all.</summary>
    private const UnixFileMode ReadableByAll = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>S_IFREG, the "regular file" type in a Unix mode.</summary>
    private const uint RegularFile = 0x8000;

    /// <summary>The .NET runtime identifier Lambda's architecture runs: arm64 → linux-arm64, x86_64 → linux-x64.</summary>
    public static string RuntimeIdentifier(LambdaArchitecture architecture) =>
        architecture == LambdaArchitecture.Arm64 ? "linux-arm64" : "linux-x64";

    /// <summary>The `dotnet publish` command line for a build.</summary>
    public static IReadOnlyList<string> Arguments(string root, string output, FunctionBuild build, LambdaArchitecture architecture)
    {
        var arguments = new List<string>
        {
            "publish", Path.Combine("Functions", "Functions.csproj"), "-c", "Release", "-o", output, "--nologo",
            "-r", RuntimeIdentifier(architecture),
            "-p:Deterministic=true", "-p:ContinuousIntegrationBuild=true",
            $"-p:PathMap={Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar)}{Path.DirectorySeparatorChar}=/src/",
        };
        arguments.AddRange(build == FunctionBuild.NativeAot
            // Self-contained by nature; StripSymbols moves the symbols out of the executable into a .dbg file.
            ? ["--self-contained", "true", "-p:PublishAot=true", "-p:StripSymbols=true"]
            // The managed runtime provides .NET; ReadyToRun precompiles our code, the SDK's and the serializer's.
            : ["--self-contained", "false", "-p:PublishReadyToRun=true"]);
        return arguments;
    }

    /// <summary>
    /// Why the publish failed, in words that say what to do. A missing pack is the usual cause (a NuGet source without
    /// the runtime, crossgen or ILCompiler packs for that architecture): the build then stops rather than ship another build.
    /// </summary>
    public static string ExplainFailure(string output, FunctionBuild build, LambdaArchitecture architecture)
    {
        string[] missing = MissingPackage().Matches(output)
            .Select(m => m.Groups[1].Value.TrimEnd('.')).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToArray();
        if (missing.Length == 0)
            return $"dotnet publish Functions/ failed:{Environment.NewLine}{output}";
        string buildWord = Keys.FunctionBuild.WordFor(build);
        string other = architecture == LambdaArchitecture.Arm64 ? "x86_64" : "arm64";
        return $"Publishing Functions/ as {buildWord} for {RuntimeIdentifier(architecture)} needs {string.Join(", ", missing)}, " +
               "which your NuGet sources do not have. Add the public NuGet gallery as a package source " +
               "(`dotnet nuget add source` with its v3 index address), or deploy for an architecture whose packs you have: " +
               $"`pulumi config set {Keys.LambdaArchitecture.Name} {other}`. The function is not shipped as another build than {buildWord}.";
    }

    /// <summary>Each distinct warning line (MSBuild prints some twice: once as it happens, once in the summary).</summary>
    public static IReadOnlyList<string> Warnings(string log) =>
        log.Split('\n').Select(line => line.Trim()).Where(line => WarningLine().IsMatch(line)).Distinct(StringComparer.Ordinal).ToArray();

    [GeneratedRegex(@"NU110[12]: Unable to find package ([A-Za-z0-9_.-]+)")]
    private static partial Regex MissingPackage();

    [GeneratedRegex(@"\bwarning [A-Z]+[0-9]+\s*:")]
    private static partial Regex WarningLine();
}
