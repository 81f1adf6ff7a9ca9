using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ItemsApi.Pipeline.Tests;

/// <summary>
/// Who can reach what from a workflow (issue 24; README, "Deploy from GitHub Actions"): every action pinned to a
/// commit, secrets only on the steps that use them and passed by name, each AWS role and Pulumi token bound to the
/// GitHub environment that holds it, OIDC tokens only where one is exchanged, and tests that cannot pass by skipping.
/// </summary>
public sealed partial class WorkflowSecurityTests
{
    private const string AwsCredentials = "aws-actions/configure-aws-credentials";
    private const string PulumiAuth = "pulumi/auth-actions";

    /// <summary>The GitHub environment whose variable holds each role, so whose protection rules gate it.</summary>
    private static readonly Dictionary<string, string> EnvironmentOfRole = new()
    {
        ["${{ vars.AWS_PREVIEW_ROLE_ARN }}"] = "preview",
        ["${{ vars.AWS_DEPLOY_ROLE_ARN }}"] = "${{ inputs.stack }}",
    };

    private static IEnumerable<(Workflow Workflow, string Name, YamlMappingNode Job)> AllJobs() =>
        Workflow.Names.Select(Workflow.Load).SelectMany(w => w.Jobs.Select(job => (w, job.Key, job.Value)));

    [Fact]
    public void Every_remote_action_is_pinned_to_a_full_commit_sha_with_its_release_in_a_comment()
    {
        var pins = new List<(string Action, string Sha, string Version)>();
        foreach (string name in Workflow.Names)
        {
            Workflow workflow = Workflow.Load(name);
            // The raw lines: a tag can be moved to other code, a commit cannot; the comment says which release it is.
            var lines = workflow.Lines().Select(line => UsesLine().Match(line)).Where(m => m.Success).ToArray();
            Assert.Equal(workflow.AllUses().Count(), lines.Length);
            foreach (Match line in lines.Where(m => !m.Groups["ref"].Value.StartsWith("./", StringComparison.Ordinal)))
            {
                Match pin = Regex.Match(line.Groups["ref"].Value, @"^(?<action>[\w.-]+/[\w.-]+(/[\w./-]+)?)@(?<sha>[0-9a-f]{40})$");
                Assert.True(pin.Success, $"{name}: {line.Value.Trim()} is not pinned to a 40-hex commit");
                Match version = Regex.Match(line.Groups["rest"].Value, @"^\s+# (?<version>v\d+\.\d+\.\d+)\s*$");
                Assert.True(version.Success, $"{name}: {line.Value.Trim()} does not name its release as '# vX.Y.Z'");
                pins.Add((pin.Groups["action"].Value, pin.Groups["sha"].Value, version.Groups["version"].Value));
            }
        }
        Assert.NotEmpty(pins);
        // One release per action across the files, and one commit per release.
        Assert.All(pins.GroupBy(p => p.Action), action => Assert.Single(action.Select(p => (p.Sha, p.Version)).Distinct()));
    }

    [Fact]
    public void Secrets_appear_only_on_the_steps_that_use_them_or_passed_by_name_to_a_called_workflow()
    {
        foreach (string name in Workflow.Names)
            foreach ((string path, string value) in Workflow.Load(name).Scalars().Where(s => SecretsContext().IsMatch(s.Value)))
                Assert.True(Regex.IsMatch(path, @"^jobs\.[\w-]+\.(steps\[\d+\]\.(env|with)|secrets)\.[\w-]+$"),
                    $"{name}: {path} reads a secret outside a step's env or with (workflow- or job-level env is seen by every step)");
    }

    [Fact]
    public void A_called_workflow_gets_exactly_the_secrets_it_declares_never_all_of_them()
    {
        foreach (var (_, _, job) in AllJobs())
        {
            Assert.NotEqual("inherit", Workflow.Get(job, "secrets"));
            if (Workflow.CalledWorkflow(job) is not { } called) continue;
            Assert.Equal(Workflow.Load(called).DeclaredSecrets.Order(), Workflow.Keys(job, "secrets").Order());
            // Each passed by its own name, nothing renamed or combined.
            foreach (string secret in Workflow.Keys(job, "secrets"))
                Assert.Equal($"${{{{ secrets.{secret} }}}}", Workflow.Get(job, "secrets", secret));
        }
        // And a called workflow reads no secret it does not declare.
        foreach (string name in Workflow.Names)
        {
            Workflow workflow = Workflow.Load(name);
            if (!workflow.Triggers.Contains("workflow_call")) continue;
            var read = workflow.Scalars().SelectMany(s => SecretName().Matches(s.Value)).Select(m => m.Groups[1].Value).Distinct();
            Assert.All(read, secret => Assert.Contains(secret, workflow.DeclaredSecrets));
        }
    }

    [Fact]
    public void Each_job_that_assumes_an_aws_role_runs_in_the_environment_that_holds_that_role()
    {
        var assumed = AllJobs().SelectMany(j => Workflow.StepsUsing(j.Job, AwsCredentials)
            .Select(step => (Where: $"{j.Workflow.Name}/{j.Name}", Role: Workflow.Get(step, "with", "role-to-assume") ?? "", Environment: Workflow.EnvironmentOf(j.Job)))).ToArray();

        Assert.Equal(["deploy-stage.yml/deploy", "pull-request.yml/preview-dev"], assumed.Select(a => a.Where).Order());
        foreach ((string where, string role, string? environment) in assumed)
        {
            Assert.True(EnvironmentOfRole.TryGetValue(role, out string? expected), $"{where}: {role} is no role of the contract");
            Assert.True(expected == environment, $"{where} assumes {role} but runs in environment '{environment}', not '{expected}'");
        }
        // The deploy role only in the stage workflow, named by its stack; the preview role only on a pull request.
        Assert.Equal("${{ vars.AWS_PREVIEW_ROLE_ARN }}", assumed.Single(a => a.Where.StartsWith("pull-request.yml/", StringComparison.Ordinal)).Role);
        Assert.Equal(["pull_request"], Workflow.Load("pull-request.yml").Triggers);
    }

    [Fact]
    public void Each_job_that_runs_pulumi_gets_a_pulumi_token_for_its_own_environment_and_no_stored_pulumi_secret()
    {
        foreach (string name in Workflow.Names)
        {
            string text = Workflow.Load(name).Text();
            Assert.DoesNotContain("PULUMI_CONFIG_PASSPHRASE", text);
            Assert.DoesNotContain("PULUMI_ACCESS_TOKEN", text);
            Assert.DoesNotMatch(@"secrets\.PULUMI_", text);
        }

        var jobs = AllJobs().Where(j => Workflow.StepsUsing(j.Job, "pulumi/actions").Count > 0).ToArray();
        Assert.Equal(2, jobs.Length);
        foreach ((Workflow workflow, string name, YamlMappingNode job) in jobs)
        {
            IReadOnlyList<YamlMappingNode> steps = Workflow.Steps(job);
            YamlMappingNode pulumi = Assert.Single(Workflow.StepsUsing(job, "pulumi/actions"));
            YamlMappingNode auth = Assert.Single(Workflow.StepsUsing(job, PulumiAuth));
            Assert.True(IndexOf(steps, auth) < IndexOf(steps, pulumi), $"{workflow.Name}/{name}: the token before pulumi runs");
            Assert.NotNull(Workflow.EnvironmentOf(job));

            // Pulumi Cloud: a team token, from the variables of the job's environment; an organization token would reach every stack.
            Assert.Equal("${{ vars.PULUMI_ORGANIZATION }}", Workflow.Get(auth, "with", "organization"));
            Assert.Equal("urn:pulumi:token-type:access_token:team", Workflow.Get(auth, "with", "requested-token-type"));
            Assert.Equal("team:${{ vars.PULUMI_TEAM }}", Workflow.Get(auth, "with", "scope"));
            // A self-managed backend: no token at all; the backend is a variable, not a secret.
            Assert.Equal("vars.PULUMI_BACKEND_URL == ''", Workflow.Get(auth, "if"));
            Assert.Equal("${{ vars.PULUMI_BACKEND_URL }}", Workflow.Get(pulumi, "with", "cloud-url"));
            Assert.Equal("${{ vars.PULUMI_BACKEND_URL }}", Workflow.Get(job, "env", "PULUMI_BACKEND_URL"));
        }
    }

    [Fact]
    public void Only_jobs_that_exchange_an_oidc_token_may_request_one_and_each_runs_in_an_environment()
    {
        foreach (string name in Workflow.Names)
        {
            Workflow workflow = Workflow.Load(name);
            Assert.Null(Workflow.Get(workflow.Document, "permissions", "id-token"));
            Assert.Equal("read", Workflow.Get(workflow.Document, "permissions", "contents"));
        }
        foreach ((Workflow workflow, string name, YamlMappingNode job) in AllJobs())
        {
            bool exchanges = Workflow.StepsUsing(job, AwsCredentials).Count + Workflow.StepsUsing(job, PulumiAuth).Count > 0;
            bool callsOneThatDoes = Workflow.CalledWorkflow(job) is { } called
                && Workflow.Load(called).Jobs.Values.Any(j => Workflow.Get(j, "permissions", "id-token") == "write");
            bool requests = Workflow.Get(job, "permissions", "id-token") == "write";
            Assert.True((exchanges || callsOneThatDoes) == requests, $"{workflow.Name}/{name}: id-token: write only where a token is exchanged");
            // The token's subject then names the environment, which the AWS trust and Pulumi's policy check.
            if (exchanges) Assert.True(Workflow.EnvironmentOf(job) is not null, $"{workflow.Name}/{name} exchanges an OIDC token outside any environment");
        }
    }

    [Fact]
    public void The_test_job_runs_strict_so_a_skipped_suite_test_or_install_fails_it()
    {
        YamlMappingNode test = Workflow.Load("tests.yml").Jobs["test"];
        Assert.Contains(Workflow.Steps(test), step => Workflow.Get(step, "run") == "bash .ci/run --no-skips");
        // .ci/run hands its arguments to the README's test command (TestScriptTests run both).
        string last = File.ReadAllLines(Path.Combine(Workflow.Root, ".ci", "run")).Last(line => line.Trim().Length > 0);
        Assert.StartsWith("./test.sh \"$@\"", last);
    }

    private static int IndexOf(IReadOnlyList<YamlMappingNode> steps, YamlMappingNode step)
    {
        for (int i = 0; i < steps.Count; i++) if (ReferenceEquals(steps[i], step)) return i;
        throw new Xunit.Sdk.XunitException("no such step"); // never -1, which would pass an order check
    }

    /// <summary>A <c>uses:</c> line, of a job or a step: the reference, then the rest of the line (its comment).</summary>
    [GeneratedRegex(@"^\s*(-\s+)?uses:\s*[""']?(?<ref>[^\s""'#]+)[""']?(?<rest>.*)$")]
    private static partial Regex UsesLine();

    [GeneratedRegex(@"\$\{\{[^}]*\bsecrets\s*[.\[]")]
    private static partial Regex SecretsContext();

    [GeneratedRegex(@"\bsecrets\.(\w+)")]
    private static partial Regex SecretName();
}
