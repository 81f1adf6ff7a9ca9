using ItemsApi.DeployTime.Packaging;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ItemsApi.Pipeline.Tests;

/// <summary>
/// What the pipeline promises a team (README, "Deploy from GitHub Actions"): a pull request is tested and previews
/// dev, main deploys and verifies dev then prod behind its environment's reviewers, one deploy per stage at a time,
/// AWS through OIDC only, secrets masked before use. Who may reach what: <see cref="WorkflowSecurityTests"/>.
/// </summary>
public sealed class PipelineTests
{
    private static readonly Workflow PullRequest = Workflow.Load("pull-request.yml");
    private static readonly Workflow Deploy = Workflow.Load("deploy.yml");
    private static readonly Workflow DeployStage = Workflow.Load("deploy-stage.yml");
    private static readonly Workflow Tests = Workflow.Load("tests.yml");
    private static readonly YamlMappingNode StageJob = Assert.Single(DeployStage.Jobs.Values);

    [Fact]
    public void A_pull_request_is_built_and_tested_with_the_readme_command_and_previews_dev_with_a_comment()
    {
        Assert.Equal(["pull_request"], PullRequest.Triggers);
        Assert.Equal("./.github/workflows/tests.yml", Workflow.Get(PullRequest.Jobs["test"], "uses"));

        // The test job builds, then runs .ci/run, which ends in the README's test command (strict there).
        YamlMappingNode test = Tests.Jobs["test"];
        Assert.Contains(Workflow.Steps(test), step => Workflow.Get(step, "run") == "dotnet build ItemsApi.slnx");
        Assert.Contains(Workflow.Steps(test), step => Workflow.Get(step, "run")?.StartsWith("bash .ci/run", StringComparison.Ordinal) == true);
        Assert.StartsWith("./test.sh", File.ReadAllLines(Path.Combine(Workflow.Root, ".ci", "run")).Last(line => line.Trim().Length > 0));
        Assert.Contains("./test.sh", File.ReadAllText(Path.Combine(Workflow.Root, "README.md")));

        YamlMappingNode preview = Assert.Single(PullRequest.Jobs["preview-dev"] is { } job ? Workflow.StepsUsing(job, "pulumi/actions") : []);
        Assert.Equal(("preview", "dev", "true"), (Workflow.Get(preview, "with", "command"), Workflow.Get(preview, "with", "stack-name"), Workflow.Get(preview, "with", "comment-on-pr")));
        Assert.Equal("write", Workflow.Get(PullRequest.Jobs["preview-dev"], "permissions", "pull-requests"));
    }

    [Fact]
    public void Nothing_is_deployed_from_a_pull_request()
    {
        Assert.DoesNotContain("pull_request", Deploy.Triggers);
        Assert.DoesNotContain("pull_request", DeployStage.Triggers);
        Assert.DoesNotContain("deploy-stage.yml", PullRequest.Text());
        YamlMappingNode[] pullRequestPulumiSteps = PullRequest.Jobs.Values.SelectMany(job => Workflow.StepsUsing(job, "pulumi/actions")).ToArray();
        Assert.NotEmpty(pullRequestPulumiSteps); // else the check below passes on nothing
        Assert.All(pullRequestPulumiSteps,
            step => Assert.Equal("preview", Workflow.Get(step, "with", "command")));
        Assert.DoesNotContain(Workflow.Names.Where(n => n != "deploy-stage.yml").SelectMany(n => Workflow.Load(n).Jobs.Values),
            job => Workflow.StepsUsing(job, "pulumi/actions").Any(step => Workflow.Get(step, "with", "command") is "up" or "destroy"));
    }

    [Fact]
    public void Main_deploys_dev_then_prod_each_through_the_stage_workflow()
    {
        Assert.Equal(["push", "workflow_dispatch"], Deploy.Triggers);
        Assert.Equal("main", Assert.Single(((YamlSequenceNode)((YamlMappingNode)Deploy.Document.Children[new YamlScalarNode("on")])
            .Children[new YamlScalarNode("push")]["branches"]).Children).ToString());

        foreach ((string job, string needs) in new[] { ("dev", "test"), ("prod", "dev") })
        {
            YamlMappingNode stage = Deploy.Jobs[job];
            Assert.Equal("./.github/workflows/deploy-stage.yml", Workflow.Get(stage, "uses"));
            Assert.Equal(job, Workflow.Get(stage, "with", "stack"));
            Assert.Equal(needs, Workflow.Get(stage, "needs"));
            // Also a workflow_dispatch from another branch deploys nothing.
            Assert.Equal("github.ref == 'refs/heads/main'", Workflow.Get(stage, "if"));
            Assert.Equal("write", Workflow.Get(stage, "permissions", "id-token"));
        }
    }

    [Fact]
    public void A_stage_runs_in_its_environment_one_deploy_at_a_time()
    {
        Assert.Equal(["workflow_call"], DeployStage.Triggers);
        // The environment is named as the stack: prod's required reviewers gate its job before any step runs.
        Assert.Equal("${{ inputs.stack }}", Workflow.Get(StageJob, "environment"));
        Assert.Equal("deploy-${{ inputs.stack }}", Workflow.Get(StageJob, "concurrency", "group"));
        Assert.Equal("false", Workflow.Get(StageJob, "concurrency", "cancel-in-progress"));
    }

    [Fact]
    public void A_stage_is_deployed_then_verified_and_the_job_fails_when_verify_does()
    {
        IReadOnlyList<YamlMappingNode> steps = Workflow.Steps(StageJob);
        int credentials = IndexOf(steps, step => Workflow.Get(step, "uses")?.StartsWith("aws-actions/configure-aws-credentials@") == true);
        int up = IndexOf(steps, step => Workflow.Get(step, "with", "command") == "up");
        int verify = IndexOf(steps, step => Workflow.Get(step, "run")?.Contains("dotnet run --project Verify") == true);

        Assert.True(credentials < up && up < verify, "credentials, then pulumi up, then verify");
        Assert.Equal("${{ inputs.stack }}", Workflow.Get(steps[up], "with", "stack-name"));
        Assert.Contains("--stack \"$STACK\"", Workflow.Get(steps[verify], "run"));
        // A step fails on a non-zero exit: nothing may swallow verify's.
        Assert.Null(Workflow.Get(steps[verify], "continue-on-error"));
        Assert.DoesNotContain("|| true", Workflow.Get(steps[verify], "run"));
    }

    [Fact]
    public void Secrets_from_the_stack_outputs_are_masked_before_they_are_used()
    {
        YamlMappingNode[] reading = Workflow.Steps(StageJob).Where(s => Workflow.Get(s, "run")?.Contains("--show-secrets") == true).ToArray();
        Assert.NotEmpty(reading);
        foreach (YamlMappingNode step in reading)
        {
            string[] lines = Workflow.Get(step, "run")!.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach ((string line, int index) in lines.Select((line, index) => (line, index)).Where(l => l.line.Contains("--show-secrets")))
            {
                string variable = Regex.Match(line, @"^\s*(\w+)=\$\(pulumi stack output .*--show-secrets").Groups[1].Value;
                Assert.NotEmpty(variable);
                Assert.Equal($"echo \"::add-mask::${variable}\"", lines[index + 1].Trim());
            }
        }
        Assert.Contains(Workflow.Steps(StageJob), s => Workflow.Get(s, "run")?.Contains("--show-secrets apiKey") == true);
    }

    [Fact]
    public void Aws_credentials_come_from_oidc_role_assumption_never_from_stored_keys()
    {
        foreach (string name in Workflow.Names)
        {
            Workflow workflow = Workflow.Load(name);
            Assert.DoesNotContain("AWS_ACCESS_KEY_ID", workflow.Text());
            Assert.DoesNotContain("AWS_SECRET_ACCESS_KEY", workflow.Text());
            foreach ((string jobName, YamlMappingNode job) in workflow.Jobs)
                foreach (YamlMappingNode step in Workflow.StepsUsing(job, "aws-actions/configure-aws-credentials"))
                {
                    Assert.Matches(@"^\$\{\{ vars\.AWS_\w+_ROLE_ARN \}\}$", Workflow.Get(step, "with", "role-to-assume"));
                    Assert.Null(Workflow.Get(step, "with", "aws-access-key-id"));
                    Assert.Equal("write", Workflow.Get(job, "permissions", "id-token"));
                }
        }
    }

    [Fact]
    public void Every_job_that_runs_pulumi_has_the_native_aot_toolchain_and_the_sdk_from_global_json()
    {
        var jobs = new[] { PullRequest, DeployStage }.SelectMany(w => w.Jobs.Values).Where(job => Workflow.StepsUsing(job, "pulumi/actions").Count > 0).ToArray();
        Assert.Equal(2, jobs.Length);
        foreach (YamlMappingNode job in jobs)
        {
            IReadOnlyList<YamlMappingNode> steps = Workflow.Steps(job);
            int pulumi = IndexOf(steps, step => Workflow.Get(step, "uses")?.StartsWith("pulumi/actions@") == true);
            // pulumi preview and up publish the functions themselves, as Native AOT by default. The toolchain's
            // installer runs before the job holds any credential.
            int toolchain = IndexOf(steps, step => Workflow.Get(step, "run") == "tools/native-aot-toolchain.sh --build-only");
            Assert.True(toolchain < pulumi);
            Assert.True(toolchain < IndexOf(steps, step => Workflow.Get(step, "uses")?.StartsWith("aws-actions/configure-aws-credentials@") == true));
            Assert.True(IndexOf(steps, step => Workflow.Get(step, "with", "global-json-file") == "global.json") < pulumi);
        }
        Assert.True(File.Exists(Path.Combine(Workflow.Root, "global.json")));
        YamlMappingNode[] setupDotnetSteps = Workflow.Names.SelectMany(n => Workflow.Load(n).Jobs.Values).SelectMany(j => Workflow.StepsUsing(j, "actions/setup-dotnet")).ToArray();
        Assert.NotEmpty(setupDotnetSteps);
        Assert.All(setupDotnetSteps,
            step => Assert.Equal("global.json", Workflow.Get(step, "with", "global-json-file")));
    }

    [Fact]
    public void Every_job_that_runs_pulumi_restores_the_function_build_cache_under_the_key_the_program_computes()
    {
        var jobs = new[] { (PullRequest, "dev"), (DeployStage, "\"$STACK\"") }
            .SelectMany(w => w.Item1.Jobs.Values.Where(job => Workflow.StepsUsing(job, "pulumi/actions").Count > 0).Select(job => (Job: job, Stack: w.Item2)))
            .ToArray();
        Assert.Equal(2, jobs.Length);
        foreach ((YamlMappingNode job, string stack) in jobs)
        {
            IReadOnlyList<YamlMappingNode> steps = Workflow.Steps(job);
            int pulumi = IndexOf(steps, step => Workflow.Get(step, "uses")?.StartsWith("pulumi/actions@") == true);
            // The key comes from the program's own code (LocalGateway's function-build-key: FunctionBuildStep.CacheKey), for
            // the stack pulumi runs, never from a hash the workflow computes itself.
            int key = IndexOf(steps, step => Workflow.Get(step, "id") == "function-build");
            Assert.Contains($"dotnet run --project LocalGateway -- function-build-key --stack {stack} | tail -n 1", Workflow.Get(steps[key], "run"));
            Assert.Equal("bash", Workflow.Get(steps[key], "shell")); // -eo pipefail: a failed command fails the step
            Assert.Contains($"[[ $key == {FunctionBuildStep.CacheKeyPrefix}* ]]", Workflow.Get(steps[key], "run"));

            YamlMappingNode cache = Assert.Single(Workflow.StepsUsing(job, "actions/cache"));
            Assert.Equal("${{ steps.function-build.outputs.key }}", Workflow.Get(cache, "with", "key"));
            Assert.Equal(FunctionBuildStep.CacheFolder, Workflow.Get(cache, "with", "path"));
            Assert.True(key < IndexOf(steps, step => step == cache) && IndexOf(steps, step => step == cache) < pulumi);

            // With the build restored, pulumi compiles nothing, so the toolchain is installed only on a miss.
            YamlMappingNode toolchain = steps[IndexOf(steps, step => Workflow.Get(step, "run") == "tools/native-aot-toolchain.sh --build-only")];
            Assert.Equal($"steps.{Workflow.Get(cache, "id")}.outputs.cache-hit != 'true'", Workflow.Get(toolchain, "if"));
        }
        Assert.Equal(["pulumi preview", "pulumi up"], jobs.Select(j => "pulumi " + Workflow.Get(Workflow.StepsUsing(j.Job, "pulumi/actions")[0], "with", "command")));
        Assert.Equal("dev", Workflow.Get(Workflow.StepsUsing(jobs[0].Job, "pulumi/actions")[0], "with", "stack-name"));
        Assert.Equal("${{ inputs.stack }}", Workflow.Get(Workflow.StepsUsing(jobs[1].Job, "pulumi/actions")[0], "with", "stack-name"));
        Assert.Equal("${{ inputs.stack }}", Workflow.Get(jobs[1].Job, "env", "STACK"));
    }

    private static int IndexOf(IReadOnlyList<YamlMappingNode> steps, Func<YamlMappingNode, bool> match)
    {
        for (int i = 0; i < steps.Count; i++) if (match(steps[i])) return i;
        throw new Xunit.Sdk.XunitException("no such step");
    }
}
