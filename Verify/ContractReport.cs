namespace ItemsApi.Verify;

/// <summary>What a contract run found: every check in order, how many HTTP requests it sent, and how long it took.</summary>
public sealed record ContractReport(string ItemsUrl, string AuthMode, IReadOnlyList<CheckResult> Checks, int RequestsSent, TimeSpan Duration)
{
    /// <summary>True when no check failed (skipped ones do not count against it).</summary>
    public bool Passed => Checks.All(c => c.Status != CheckStatus.Fail);

    public int Count(CheckStatus status) => Checks.Count(c => c.Status == status);

    public CheckResult? Find(string name) => Checks.FirstOrDefault(c => c.Name == name);
}
