using System.Collections.Immutable;
using System.Xml.Linq;
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

    /// <summary>Lambda's versions of one function; records each call and whether the alias had finished moving by then.</summary>
    private sealed class RecordingLambda(AwsMocks mocks, int published) : IFunctionVersions
    {
        public List<string> Versions { get; } = ["$LATEST", .. Enumerable.Range(1, published).Select(v => v.ToString())];
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
            return Task.FromResult<IReadOnlyList<string>>(["7"]);
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
            mocks: mocks, lambdaApi: region => { lambda.Region = region; return lambda; });

        Assert.True(lambda.AliasMovedBeforeFirstCall);
        Assert.Equal(AwsMocks.Region, lambda.Region);
        Assert.Equal(["$LATEST", "5", "6", "7"], lambda.Versions);
        Assert.Equal(["1", "2", "3", "4"], (await run.OutputAsync<ImmutableArray<string>>("deletedFunctionVersions")).ToArray());
    }

    [Fact]
    public async Task By_default_up_keeps_two_versions_the_live_one_and_one_to_go_back_to()
    {
        var lambda = new RecordingLambda(new AwsMocks(), published: 7);
        await StackRun.RunAsync(SnapStart, lambdaApi: _ => lambda);
        Assert.Equal(2, ConfigKeys.PublishedVersionsToKeep.Default);
        Assert.Equal(["$LATEST", "6", "7"], lambda.Versions);
    }

    [Fact]
    public async Task A_preview_deletes_nothing()
    {
        var lambda = new RecordingLambda(new AwsMocks(), published: 7);
        StackRun run = await StackRun.RunAsync(SnapStart, lambdaApi: _ => lambda, preview: true);
        Assert.Empty(lambda.Calls);
        Assert.False(run.Outputs.ContainsKey("deletedFunctionVersions"));
    }

    [Fact]
    public async Task Without_an_alias_no_version_is_published_and_none_is_deleted()
    {
        var lambda = new RecordingLambda(new AwsMocks(), published: 0);
        StackRun run = await StackRun.RunAsync(lambdaApi: _ => lambda);
        Assert.Empty(lambda.Calls);
        Assert.False(run.Outputs.ContainsKey("deletedFunctionVersions"));
    }

    [Fact]
    public async Task A_refused_delete_leaves_the_update_successful_and_deletes_nothing_more()
    {
        var lambda = new RecordingLambda(new AwsMocks(), published: 7)
        {
            Failure = new LambdaApiException("GET functions/items-api-dev-items/versions", 403, "AccessDeniedException", "not authorized"),
        };
        StackRun run = await StackRun.RunAsync(SnapStart, lambdaApi: _ => lambda);
        Assert.Equal(["list items-api-dev-items"], lambda.Calls);
        Assert.Empty(await run.OutputAsync<ImmutableArray<string>>("deletedFunctionVersions"));
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
