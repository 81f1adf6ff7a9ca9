using System.Text.Json.Nodes;

namespace ItemsApi.Policies.Tests;

/// <summary>
/// A GitHub Actions job as its OIDC token describes it. The repository's subject is customised (GitHub's
/// include_claim_keys ["repo", "context", "ref"]), so sub is repo:&lt;owner&gt;/&lt;repo&gt;:&lt;context&gt;:ref:&lt;ref&gt;, where the
/// context is environment:&lt;name&gt; for a job with an environment, pull_request for a pull request's job without one,
/// and ref:&lt;ref&gt; otherwise (GitHub's OpenID Connect reference, "Customizing the subject claims").
/// </summary>
public sealed record GitHubJob(string Repository, string? Environment, string Ref, string EventName = "push", string Audience = "sts.amazonaws.com")
{
    public static GitHubJob MainIn(string environment) => new(IamFiles.Repository, environment, "refs/heads/main");
    public static GitHubJob PullRequestIn(string? environment, int number = 42) => new(IamFiles.Repository, environment, $"refs/pull/{number}/merge", "pull_request");

    public string Subject
    {
        get
        {
            string context = Environment is { } environment ? $"environment:{environment}" : EventName == "pull_request" ? "pull_request" : $"ref:{Ref}";
            return $"repo:{Repository}:{context}:ref:{Ref}";
        }
    }

    /// <summary>The claims the trust policies may test, as AWS names them; environment only when the job has one.</summary>
    public JsonObject Claims
    {
        get
        {
            var claims = Context.Of(
                (Key("aud"), Audience), (Key("sub"), Subject), (Key("repository"), Repository), (Key("ref"), Ref));
            if (Environment is { } environment) claims[Key("environment")] = environment;
            return claims;
        }
    }

    public static string Key(string claim) => $"token.actions.githubusercontent.com:{claim}";

    /// <summary>
    /// AssumeRoleWithWebIdentity on the role, judged by its trust policy alone. sub and aud are IAM User Guide keys that
    /// the evaluator's reference data does not list for the action, so they are named as such (evaluate.mjs).
    /// </summary>
    public Request Assumes(string roleName, string trustFile, Stage stage, JsonObject? claims = null) =>
        new($"arn:aws:iam::{IamFiles.Account}:oidc-provider/token.actions.githubusercontent.com", "sts:AssumeRoleWithWebIdentity",
            IamFiles.RoleArn(roleName), [])
        {
            ResourcePolicy = IamFiles.Policy(trustFile, stage),
            Context = claims ?? Claims,
            UnlistedContextKeys = [Key("sub"), Key("aud")],
        };

    public Request AssumesDeployRole(Stage stage, JsonObject? claims = null) =>
        Assumes(IamFiles.DeployRoleName(stage), "github-oidc-trust-deploy.json", stage, claims);

    public Request AssumesPreviewRole(JsonObject? claims = null) =>
        Assumes(IamFiles.PreviewRoleName, "github-oidc-trust-preview.json", Stage.Dev, claims);

    public override string ToString() => Subject;
}

public sealed class TrustPolicyTests
{
    public static TheoryData<string> Stages => new() { "dev", "prod" };

    [RequiresTheory(typeof(EvaluatorInstalled))]
    [MemberData(nameof(Stages))]
    public void A_deploy_role_is_assumed_from_its_environment_on_main(string stageName)
    {
        Stage stage = Stage.Named(stageName);
        Decision decision = Evaluator.Evaluate(GitHubJob.MainIn(stage.Name).AssumesDeployRole(stage));
        Assert.True(decision.IsAllowed, decision.ToString());
    }

    [RequiresTheory(typeof(EvaluatorInstalled))]
    [MemberData(nameof(Stages))]
    public void No_other_job_assumes_a_deploy_role(string stageName)
    {
        Stage stage = Stage.Named(stageName);
        GitHubJob[] others =
        [
            new(IamFiles.Repository, stage.Name, "refs/heads/feature"),                  // a pushed branch that names the environment
            GitHubJob.PullRequestIn(stage.Name),                                        // a pull request's job that names it
            GitHubJob.PullRequestIn(null),                                              // a pull request's job without an environment
            new(IamFiles.Repository, null, "refs/heads/main"),                          // main, without the environment
            GitHubJob.MainIn(stage.Other.Name),                                          // the other stage's environment
            GitHubJob.MainIn("preview"),                                                 // the preview environment
            GitHubJob.PullRequestIn("preview"),
            new(IamFiles.Repository, stage.Name, "refs/tags/v1.0.0"),                    // a tag
            new("someone-else/items-api", stage.Name, "refs/heads/main"),                // another repository's main
            GitHubJob.MainIn(stage.Name) with { Audience = "https://github.com/octo-org" }, // a token for another audience
        ];
        Evaluator.AssertAllDenied(others.Select(job => job.AssumesDeployRole(stage)).ToArray(), $"jobs that must not assume {IamFiles.DeployRoleName(stage)}");
    }

    [RequiresFact(typeof(EvaluatorInstalled))]
    public void The_preview_role_is_assumed_by_a_pull_requests_job_in_the_preview_environment()
    {
        Decision decision = Evaluator.Evaluate(GitHubJob.PullRequestIn("preview", number: 1234).AssumesPreviewRole());
        Assert.True(decision.IsAllowed, decision.ToString());
    }

    [RequiresFact(typeof(EvaluatorInstalled))]
    public void No_other_job_assumes_the_preview_role()
    {
        GitHubJob[] others =
        [
            GitHubJob.MainIn("preview"),                                     // a push to main in the preview environment
            new(IamFiles.Repository, "preview", "refs/heads/feature"),        // a pushed branch in it
            GitHubJob.PullRequestIn(null),                                   // a pull request's job without the environment
            GitHubJob.PullRequestIn("dev"),
            GitHubJob.MainIn("dev"),
            GitHubJob.MainIn("prod"),
            new("someone-else/items-api", "preview", "refs/pull/1/merge", "pull_request"),
        ];
        Evaluator.AssertAllDenied(others.Select(job => job.AssumesPreviewRole()).ToArray(), "jobs that must not assume the preview role");
    }

    /// <summary>
    /// Each key the trust policies rely on is evaluated: the right token with only that claim wrong is refused. (Tokens
    /// GitHub would never issue, since sub repeats the other claims; they show that the evaluator reads every key,
    /// sub and aud included, rather than dropping it.)
    /// </summary>
    [RequiresTheory(typeof(EvaluatorInstalled))]
    [InlineData("aud", "https://github.com/octo-org")]
    [InlineData("sub", "repo:octo-org/items-api:environment:dev:ref:refs/heads/feature")]
    [InlineData("repository", "someone-else/items-api")]
    [InlineData("environment", "preview")]
    [InlineData("ref", "refs/heads/feature")]
    public void A_wrong_value_of_any_claim_the_deploy_trust_tests_is_refused(string claim, string wrong)
    {
        GitHubJob job = GitHubJob.MainIn("dev");
        JsonObject claims = job.Claims;
        claims[GitHubJob.Key(claim)] = wrong;
        Decision decision = Evaluator.Evaluate(job.AssumesDeployRole(Stage.Dev, claims));
        Assert.False(decision.IsAllowed, decision.ToString());
        Assert.Null(decision.Error);

        claims.Remove(GitHubJob.Key(claim));
        decision = Evaluator.Evaluate(job.AssumesDeployRole(Stage.Dev, claims));
        Assert.False(decision.IsAllowed, $"without {claim}: {decision}");
    }

    [RequiresTheory(typeof(EvaluatorInstalled))]
    [InlineData("aud", "https://github.com/octo-org")]
    [InlineData("sub", "repo:octo-org/items-api:environment:dev:ref:refs/pull/42/merge")]
    [InlineData("repository", "someone-else/items-api")]
    [InlineData("environment", "dev")]
    [InlineData("ref", "refs/heads/main")]
    public void A_wrong_value_of_any_claim_the_preview_trust_tests_is_refused(string claim, string wrong)
    {
        GitHubJob job = GitHubJob.PullRequestIn("preview");
        JsonObject claims = job.Claims;
        claims[GitHubJob.Key(claim)] = wrong;
        Decision decision = Evaluator.Evaluate(job.AssumesPreviewRole(claims));
        Assert.False(decision.IsAllowed, decision.ToString());
        Assert.Null(decision.Error);

        claims.Remove(GitHubJob.Key(claim));
        decision = Evaluator.Evaluate(job.AssumesPreviewRole(claims));
        Assert.False(decision.IsAllowed, $"without {claim}: {decision}");
    }

    /// <summary>What iam/README.md says about the evaluator: sub and aud are outside its reference data, and evaluated as given.</summary>
    [RequiresFact(typeof(EvaluatorInstalled))]
    public void Sub_and_aud_are_evaluated_outside_the_evaluators_reference_data_and_the_other_claims_within_it()
    {
        Decision decision = Evaluator.Evaluate(GitHubJob.MainIn("dev").AssumesDeployRole(Stage.Dev));
        Assert.True(decision.EvaluatedWithoutValidation);
        Assert.Equal([GitHubJob.Key("aud"), GitHubJob.Key("sub")], decision.IgnoredContextKeys.Order(StringComparer.Ordinal));
    }

    [RequiresFact(typeof(EvaluatorInstalled))]
    public void The_shared_logging_role_is_assumed_by_api_gateway_only()
    {
        JsonObject trust = JsonNode.Parse(IamFiles.Text("apigateway-logging-role-trust.json"))!.AsObject();
        Request ByService(string service) =>
            new(service, "sts:AssumeRole", IamFiles.RoleArn(IamFiles.LoggingRoleName), []) { ResourcePolicy = trust };

        Assert.True(Evaluator.Evaluate(ByService("apigateway.amazonaws.com")).IsAllowed);
        Evaluator.AssertAllDenied([ByService("lambda.amazonaws.com"), ByService("ec2.amazonaws.com"), Identity.Deploy(Stage.Dev).Asks("sts:AssumeRole", IamFiles.RoleArn(IamFiles.LoggingRoleName)) with { ResourcePolicy = trust }],
            "others assuming the logging role");
    }
}
