using System.Text.RegularExpressions;

namespace ItemsApi.Pipeline.Tests;

/// <summary>
/// What more than one test project needs is written once, in TestKit (issue 25, section 3). These tests read the test
/// projects and the benchmarks, and fail, naming file and line, if a second copy of a kit's part comes back.
/// </summary>
public sealed class OneTestKitTests
{
    /// <summary>The C# files of every test project and of the benchmarks; build output left out.</summary>
    private static readonly IReadOnlyList<string> Scanned = Directory.EnumerateDirectories(RepositoryRoot.Path)
        .Where(folder => Path.GetFileName(folder) is { } name && (name.EndsWith(".Tests", StringComparison.Ordinal) || name == "Benchmarks"))
        .SelectMany(folder => Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
        .Where(file => !file.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
        .Order().ToArray();

    /// <summary>Each place in the scanned files where <paramref name="pattern"/> matches, as "file:line: text".</summary>
    private static List<string> Copies(string pattern)
    {
        Assert.Contains(Scanned, file => file.EndsWith(Path.Combine("Pipeline.Tests", "OneTestKitTests.cs"), StringComparison.Ordinal));
        var regex = new Regex(pattern);
        return Scanned.SelectMany(file => File.ReadLines(file).Select((line, i) => (line, i))
                .Where(l => regex.IsMatch(l.line))
                .Select(l => $"{Path.GetRelativePath(RepositoryRoot.Path, file)}:{l.i + 1}: {l.line.Trim()}"))
            .ToList();
    }

    private static void AssertNone(List<string> copies, string use) =>
        Assert.True(copies.Count == 0, $"a second copy of what TestKit has ({use}):\n" + string.Join("\n", copies));

    [Fact]
    public void No_test_writes_its_own_fake_clock()
    {
        AssertNone(Copies(@"class\s+\w+[^{;]*:\s*TimeProvider\b"), "FakeTimeProvider");
    }

    [Fact]
    public void Only_the_kits_local_stage_keeps_and_parses_the_access_log()
    {
        // A harness of its own keeps the gateway's access log to read it; every other start throws the log away.
        AssertNone(Copies(@"\bAccessLog\s*=\s*(?![\s=]|TextWriter\.Null\b)"), "LocalStage, whose AccessLog() parses with AccessLogLines");
        AssertNone(Copies(@"Split\('\\n'.*JsonDocument\.Parse\("), "AccessLogLines");
    }

    [Fact]
    public void Tests_that_need_a_tool_skip_through_the_kits_RequiresFact()
    {
        AssertNone(Copies(@"class\s+\w+\s*:\s*(Fact|Theory)Attribute\b"), "RequiresFact and RequiresTheory with an IRequirement");
    }

    [Fact]
    public void Tests_start_processes_through_the_kits_ProcessRun()
    {
        AssertNone(Copies(@"new\s+ProcessStartInfo\b|\bProcess\.Start\("), "ProcessRun.RunAsync and ProcessRun.Start");
    }

    [Fact]
    public void Tests_set_environment_variables_through_the_kit_and_put_them_back()
    {
        AssertNone(Copies(@"\bEnvironment\.SetEnvironmentVariable\("), "EnvironmentVariables.Set");
    }

    [Fact]
    public void Checkouts_are_copied_through_the_kit()
    {
        AssertNone(Copies(@"foreach\s*\(string \w+ in FunctionBuildInputs\.SourceFiles\("), "Checkouts.CopyFiles");
    }
}
