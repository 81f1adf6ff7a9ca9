using System.Collections.Concurrent;
using ItemsApi.DeployTime.Aws;
using ItemsApi.DeployTime.VersionRetention;

namespace ItemsApi.Infra.Tests;

/// <summary>What the account answers the program's own reads (<see cref="IAwsAccount"/>), set per test; records each call.</summary>
public sealed class FakeAccount : IAwsAccount
{
    public string CallerAccount { get; set; } = AwsMocks.Account;
    public string? CloudWatchRoleArn { get; set; }
    public int ConcurrencyLimit { get; set; } = 1000;
    public int ProvisionedNow { get; set; }
    public bool DomainServes { get; set; }
    /// <summary>Thrown by every read when set (no access, a refused call).</summary>
    public Exception? Failure { get; set; }
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>The program's AWS access for <see cref="StackRun.RunAsync"/>: this account, and <paramref name="versions"/> for pruning.</summary>
    public Func<string, AwsApis> Apis(IFunctionVersions? versions = null) => _ => new AwsApis(this, versions ?? new NoVersions());

    private Task<T> Answer<T>(string call, T value)
    {
        Calls.Enqueue(call);
        return Failure is null ? Task.FromResult(value) : Task.FromException<T>(Failure);
    }

    public Task<string> CallerAccountIdAsync(CancellationToken cancellationToken = default) => Answer("caller", CallerAccount);
    public Task<string?> ApiGatewayCloudWatchRoleArnAsync(CancellationToken cancellationToken = default) => Answer("cloudwatch-role", CloudWatchRoleArn);
    public Task<int> LambdaConcurrencyLimitAsync(CancellationToken cancellationToken = default) => Answer("concurrency-limit", ConcurrencyLimit);
    public Task<int> ProvisionedConcurrencyAsync(string functionName, CancellationToken cancellationToken = default) => Answer($"provisioned {functionName}", ProvisionedNow);
    public Task<bool> CustomDomainServesAsync(string domainName, string stageName, CancellationToken cancellationToken = default) => Answer($"serves {domainName} {stageName}", DomainServes);
    public Task FlushAuthorizersCacheAsync(string restApiId, string stageName, CancellationToken cancellationToken = default) => Answer($"flush {restApiId} {stageName}", 0);

    private sealed class NoVersions : IFunctionVersions
    {
        public Task<IReadOnlyList<string>> ListVersionsAsync(string functionName, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>(["$LATEST"]);
        public Task<IReadOnlyList<string>> AliasedVersionsAsync(string functionName, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);
        public Task DeleteVersionAsync(string functionName, string version, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
