using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Packaging;

/// <summary>One thing a function build is made from, and its SHA-256 (of a file's bytes, or of a value's text).</summary>
/// <param name="Name">e.g. <c>file:Core/Http/JsonBody.cs</c>, <c>build:nativeAot</c>, <c>sdk:10.0.401</c>.</param>
public sealed record FunctionBuildInput(string Name, string Sha256);

/// <summary>The .NET SDK a publish runs with: its version, and the file in which it names the pack versions restore resolves.</summary>
/// <param name="BundledVersionsSha256">Microsoft.NETCoreSdk.BundledVersions.props, where the SDK names the runtime, crossgen and
/// ILCompiler pack versions a publish restores when the project does not pin them (this project does not).</param>
public sealed record DotnetSdk(string Version, string BundledVersionsSha256)
{
    /// <summary>The SDK `dotnet` picks in <paramref name="root"/> (global.json applies there).</summary>
    public static DotnetSdk Find(string root)
    {
        string version = Dotnet(root, "--version").Trim();
        // "10.0.401 [/usr/share/dotnet/sdk]": the folder that holds this version.
        string sdks = Dotnet(root, "--list-sdks");
        string folder = sdks.Split('\n').Select(line => line.Trim())
            .Where(line => line.StartsWith(version + " [", StringComparison.Ordinal))
            .Select(line => Path.Combine(line[(version.Length + 2)..^1], version))
            .FirstOrDefault() ?? throw new InvalidOperationException($"dotnet --list-sdks does not list {version}:{Environment.NewLine}{sdks}");
        return new DotnetSdk(version, FunctionBuildInputs.Sha256Of(File.ReadAllBytes(Path.Combine(folder, "Microsoft.NETCoreSdk.BundledVersions.props"))));
    }

    private static string Dotnet(string root, string argument)
    {
        var start = new ProcessStartInfo("dotnet", argument) { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        Task<string> errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"dotnet {argument} failed: {errors.Result}");
    }
}

/// <summary>
/// Everything that can change the bytes of the function package, and its hash, which names the build in the cache
/// (<see cref="FunctionBuildCache"/>): every file of Functions/ and of each project it references (followed through
/// their ProjectReference items, bin/ and obj/ left out), the repository's build files, the build kind and its runtime
/// identifier, and the SDK. Nothing else is an input: the README, tests, Infra and the rest of the tree never reach
/// the package, so changing them reuses the build.
/// </summary>
public sealed record FunctionBuildInputs(string Hash, IReadOnlyList<FunctionBuildInput> Inputs)
{
    /// <summary>Files at the repository's root that every project's build reads (those that exist are inputs).</summary>
    public static IReadOnlyList<string> BuildFiles { get; } =
        ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "NuGet.config", "nuget.config"];

    /// <summary>The project the package is published from.</summary>
    public const string FunctionsProject = "Functions/Functions.csproj";

    /// <summary>The first 12 characters of the hash, for logs.</summary>
    public string ShortHash => Hash[..12];

    public static FunctionBuildInputs Collect(string root, FunctionBuild build, LambdaArchitecture architecture, DotnetSdk sdk)
    {
        var inputs = new List<FunctionBuildInput>();
        foreach (string file in SourceFiles(root))
            inputs.Add(new FunctionBuildInput("file:" + file, Sha256Of(File.ReadAllBytes(Path.Combine(root, file)))));
        inputs.Add(Value("build", ConfigKeys.FunctionBuild.WordFor(build)));
        inputs.Add(Value("runtime-identifier", FunctionPublisher.RuntimeIdentifier(architecture)));
        inputs.Add(Value("sdk", sdk.Version));
        inputs.Add(new FunctionBuildInput("sdk:Microsoft.NETCoreSdk.BundledVersions.props", sdk.BundledVersionsSha256));
        inputs.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        string canonical = string.Concat(inputs.Select(input => $"{input.Name}\t{input.Sha256}\n"));
        return new FunctionBuildInputs(Sha256Of(Encoding.UTF8.GetBytes(canonical)), inputs);
    }

    /// <summary>The files the package is built from, relative to <paramref name="root"/> with '/' separators, in ordinal order.</summary>
    public static IReadOnlyList<string> SourceFiles(string root)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string name in BuildFiles)
            if (File.Exists(Path.Combine(root, name))) files.Add(name);
        foreach (string project in ProjectClosure(root, FunctionsProject))
        {
            string folder = Path.Combine(root, Path.GetDirectoryName(project)!);
            foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
                string inProject = Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');
                if (!inProject.StartsWith("bin/", StringComparison.Ordinal) && !inProject.StartsWith("obj/", StringComparison.Ordinal))
                    files.Add(relative);
            }
        }
        return [.. files];
    }

    /// <summary>A project and every project it references, directly or not (paths relative to the root, '/' separators).</summary>
    public static IReadOnlyList<string> ProjectClosure(string root, string project)
    {
        var seen = new List<string>();
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out string? next))
        {
            if (seen.Contains(next)) continue;
            seen.Add(next);
            string folder = Path.GetDirectoryName(next) ?? "";
            foreach (XElement reference in XDocument.Load(Path.Combine(root, next)).Descendants("ProjectReference"))
            {
                string include = reference.Attribute("Include")?.Value.Replace('\\', '/') ?? "";
                pending.Push(Path.GetRelativePath(root, Path.GetFullPath(Path.Combine(root, folder, include))).Replace(Path.DirectorySeparatorChar, '/'));
            }
        }
        return seen;
    }

    /// <summary>What differs from an earlier build's inputs, in words: "Core/Http/JsonBody.cs changed", "sdk 10.0.401 is new".</summary>
    public IReadOnlyList<string> ChangesSince(IReadOnlyList<FunctionBuildInput> earlier)
    {
        Dictionary<string, string> before = earlier.ToDictionary(input => input.Name, input => input.Sha256);
        Dictionary<string, string> now = Inputs.ToDictionary(input => input.Name, input => input.Sha256);
        return Inputs.Where(input => before.TryGetValue(input.Name, out string? sha) && sha != input.Sha256).Select(input => $"{Shown(input.Name)} changed")
            .Concat(Inputs.Where(input => !before.ContainsKey(input.Name)).Select(input => $"{Shown(input.Name)} is new"))
            .Concat(earlier.Where(input => !now.ContainsKey(input.Name)).Select(input => $"{Shown(input.Name)} is gone"))
            .ToArray();
    }

    private static string Shown(string name) => name.StartsWith("file:", StringComparison.Ordinal) ? name["file:".Length..] : name.Replace(':', ' ');

    private static FunctionBuildInput Value(string kind, string value) => new($"{kind}:{value}", Sha256Of(Encoding.UTF8.GetBytes(value)));

    public static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
