using System.Collections.Immutable;
using System.Xml.Linq;
using ItemsApi.DeployTime.Aws;
using ItemsApi.DeployTime.VersionRetention;
using ItemsApi.DeployTime.Settings;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.Infra.Tests;

/// <summary>
/// What `pulumi up` does with the items function's published versions and its alias: old versions are deleted once
/// the alias serves the new one, and provisioned concurrency changes only after the alias has moved. Lambda keeps every
/// published version until it is deleted, and for .NET SnapStart bills each one's snapshot cache while it exists
/// (Lambda Developer Guide, "Lambda SnapStart pricing"); PutProvisionedConcurrencyConfig fails while the alias still
/// routes weights during its move ("Alias with weights can not be used with Provisioned Concurrency").
/// </summary>
public class PublishedVersionsTests
{
    private const string AliasDone = "end:aws:lambda/alias:Alias::items-function-live";

    /// <summary>The items function as the calls name it: by ARN, so they act in the function's own account.</summary>
    private const string FunctionArn = $"arn:aws:lambda:{AwsMocks.Region}:{AwsMocks.Account}:function:items-api-dev-items";

    /// <summary>Lambda's versions of one function; records each call and whether the alias had finished moving by then.</summary>
    private sealed class RecordingLambda(AwsMocks mocks, int published) : IFunctionVersions
    {
        public List<string> Versions { get; } = ["$LATEST", .. Enumerable.Range(1, published).Select(v => v.ToString())];
        public List<string> Aliased { get; init; } = ["7"];
        public List<string> Calls { get; } = [];
        public string? Region { get; set; }
        public bool AliasMovedBeforeFirstCall { get; private set; }
        public Exception? Failure { get; init; }

        private void Record(string call)
        {
            if (Calls.Count == 0) AliasMovedBeforeFirstCall = mocks.Events.Contains(AliasDone);
            Calls.Add(call);
            if (Failure is not null) throw Failure;
        }

        public Task<IReadOnlyList<string>> ListVersionsAsync(string functionName, CancellationToken cancellationToken)
        {
            Record($"list {functionName}");
            return Task.FromResult<IReadOnlyList<string>>([.. Versions]);
        }

        public Task<IReadOnlyList<string>> AliasedVersionsAsync(string functionName, CancellationToken cancellationToken)
        {
            Record($"aliases {functionName}");
            return Task.FromResult<IReadOnlyList<string>>([.. Aliased]);
        }

        public Task DeleteVersionAsync(string functionName, string version, CancellationToken cancellationToken)
        {
            Record($"delete {functionName}:{version}");
            Versions.Remove(version);
            return Task.CompletedTask;
        }
    }

    private static readonly Dictionary<string, string> SnapStart = new() { ["snapStart"] = "true", ["functionBuild"] = "readyToRun" };

    [Fact]
    public async Task Up_deletes_all_but_the_newest_versions_after_the_alias_serves_the_new_one()
    {
        var mocks = new AwsMocks();
        mocks.SlowTypes["aws:lambda/alias:Alias"] = TimeSpan.FromMilliseconds(200);
        var lambda = new RecordingLambda(mocks, published: 7); // the mocks publish version 7

        StackRun run = await StackRun.RunAsync(new Dictionary<string, string>(SnapStart) { ["publishedVersionsToKeep"] = "3" },
            mocks: mocks, aws: region => { lambda.Region = region; return new AwsApis(new FakeAccount(), lambda); });

        Assert.True(lambda.AliasMovedBeforeFirstCall);
        Assert.Equal(AwsMocks.Region, lambda.Region);
        Assert.Equal(["$LATEST", "5", "6", "7"], lambda.Versions);
        Assert.Equal(["1", "2", "3", "4"], (await run.OutputAsync<ImmutableArray<string>>(StackOutputNames.DeletedFunctionVersions)).ToArray());
    }

    [Fact]
    public async Task By_default_up_keeps_two_versions_the_live_one_and_one_to_go_back_to()
    {
        var lambda = new RecordingLambda(new AwsMocks(), published: 7);
        await StackRun.RunAsync(SnapStart, aws: new FakeAccount().Apis(lambda));
        Assert.Equal(2, ConfigKeys.PublishedVersionsToKeep.Default);
        Assert.Equal(["$LATEST", "6", "7"], lambda.Versions);
    }

    [Fact]
    public async Task A_preview_deletes_nothing()
    {
        var lambda = new RecordingLambda(new AwsMocks(), published: 7);
        StackRun run = await StackRun.RunAsync(SnapStart, aws: new FakeAccount().Apis(lambda), preview: true);
        Assert.Empty(lambda.Calls);
        Assert.False(run.Outputs.ContainsKey(StackOutputNames.DeletedFunctionVersions));
    }

    [Fact]
    public async Task Without_an_alias_no_version_is_published_and_none_is_deleted()
    {
        var lambda = new RecordingLambda(new AwsMocks(), published: 0);
        StackRun run = await StackRun.RunAsync(aws: new FakeAccount().Apis(lambda));
        Assert.Equal([$"list {FunctionArn}"], lambda.Calls); // only $LATEST: nothing to ask about aliases
        Assert.Empty(await run.OutputAsync<ImmutableArray<string>>(StackOutputNames.DeletedFunctionVersions));
    }

    [Fact]
    public async Task A_refused_delete_leaves_the_update_successful_and_deletes_nothing_more()
    {
        var lambda = new RecordingLambda(new AwsMocks(), published: 7)
        {
            Failure = new LambdaApiException("GET functions/items-api-dev-items/versions", 403, "AccessDeniedException", "not authorized"),
        };
        StackRun run = await StackRun.RunAsync(SnapStart, aws: new FakeAccount().Apis(lambda));
        Assert.Equal([$"list {FunctionArn}"], lambda.Calls);
        Assert.Empty(await run.OutputAsync<ImmutableArray<string>>(StackOutputNames.DeletedFunctionVersions));
    }

    /// <summary>
    /// Creating the client resolves the provider's credentials, and that can fail (an expired SSO session, a missing
    /// profile): the README promises a warning and a successful update for every failure of pruning, that one included.
    /// </summary>
    [Fact]
    public async Task A_credentials_error_leaves_the_update_successful_with_nothing_deleted()
    {
        StackRun run = await StackRun.RunAsync(SnapStart,
            aws: _ => throw new ProviderIdentityException("AWS profile 'deployer' was not found in the shared config or credentials file"));
        Assert.Empty(await run.OutputAsync<ImmutableArray<string>>(StackOutputNames.DeletedFunctionVersions));
    }

    /// <summary>
    /// Lambda addresses a function by name within the caller's account: credentials for another account (a profile, or
    /// environment keys, the provider does not use; an assume-role chain left out) would prune a same-named function there.
    /// So the caller's account (STS GetCallerIdentity) must be the one in the function's ARN before anything is deleted.
    /// </summary>
    [Fact]
    public async Task Nothing_is_deleted_when_the_credentials_act_in_another_account_than_the_functions()
    {
        var lambda = new RecordingLambda(new AwsMocks(), published: 7);
        var account = new FakeAccount { CallerAccount = "999999999999" };
        StackRun run = await StackRun.RunAsync(SnapStart, aws: account.Apis(lambda));
        Assert.Empty(lambda.Calls);
        Assert.Empty(await run.OutputAsync<ImmutableArray<string>>(StackOutputNames.DeletedFunctionVersions));
        Assert.Contains("caller", account.Calls);
    }

    [Fact]
    public async Task Versions_are_listed_and_deleted_by_the_functions_arn()
    {
        var lambda = new RecordingLambda(new AwsMocks(), published: 3);
        await StackRun.RunAsync(SnapStart, aws: new FakeAccount().Apis(lambda));
        Assert.Equal([$"list {FunctionArn}", $"aliases {FunctionArn}", $"delete {FunctionArn}:1"], lambda.Calls);
    }

    /// <summary>
    /// Turning snapStart and provisionedConcurrency off stops publishing and removes the alias, but Lambda keeps every version
    /// published until then (and bills each one's SnapStart cache): they are deleted, except what the alias still holds until
    /// Pulumi deletes it at the end of this `up` (those go at the next one, and a warning names them).
    /// </summary>
    [Fact]
    public async Task Without_the_alias_any_more_the_versions_published_before_are_deleted_except_what_an_alias_still_holds()
    {
        var lambda = new RecordingLambda(new AwsMocks(), published: 5) { Aliased = ["5"] };
        StackRun run = await StackRun.RunAsync(aws: new FakeAccount().Apis(lambda));
        Assert.Equal(["$LATEST", "5"], lambda.Versions);
        Assert.Equal(["1", "2", "3", "4"], (await run.OutputAsync<ImmutableArray<string>>(StackOutputNames.DeletedFunctionVersions)).ToArray());
    }

    [Fact]
    public async Task Provisioned_concurrency_changes_only_after_the_alias_has_moved()
    {
        // The engine orders the config after the alias because its qualifier is the alias's output; the provider then
        // waits for the alias's transient routing weights to clear before PutProvisionedConcurrencyConfig
        // (terraform-provider-aws #48116, in the provider Pulumi.Aws 7.48.0 bridges: see the next test).
        var mocks = new AwsMocks();
        mocks.SlowTypes["aws:lambda/alias:Alias"] = TimeSpan.FromMilliseconds(200);
        StackRun run = await StackRun.RunAsync(new Dictionary<string, string> { ["provisionedConcurrency"] = "2" }, mocks: mocks);
        Assert.True(run.PositionOf(AliasDone)
            < run.PositionOf("start:aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig::items-function-provisioned"));
    }

    [Fact]
    public void The_pinned_Pulumi_Aws_bridges_a_provider_that_waits_for_alias_weights_before_changing_provisioned_concurrency()
    {
        // terraform-provider-aws #48116 (merged 2026-05-29) added the waiter. Pulumi.Aws 7.48.0 (published 2026-09-22)
        // bridges a provider built after 2026-09-06: the 7.48.0 SDK (the @pulumi/aws package of that version, same
        // schema) has aws.lambda.ResourcePolicy (terraform-provider-aws #49866, opened that day) and
        // aws.agentregistry.Registry (#49549), both merged after #48116. Older Pulumi.Aws releases may lack the waiter,
        // so the pin must not go below this one.
        string props = File.ReadAllText(Path.Combine(ProjectFiles.FindRoot(), "Directory.Packages.props"));
        string pinned = XDocument.Parse(props).Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == "Pulumi.Aws").Attribute("Version")!.Value;
        Assert.True(Version.Parse(pinned) >= new Version(7, 48, 0), $"Pulumi.Aws {pinned} predates the provisioned-concurrency waiter");
    }
}
