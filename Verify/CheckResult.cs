namespace ItemsApi.Verify;

/// <summary>One named check: its outcome and, for a failure, the reason with the request and response (secrets redacted).</summary>
public sealed record CheckResult(string Name, CheckStatus Status, string Detail)
{
    public bool Passed => Status == CheckStatus.Pass;
}
