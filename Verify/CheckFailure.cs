namespace ItemsApi.Verify;

/// <summary>Ends a check as failed: why, and the exchange that showed it.</summary>
internal sealed class CheckFailure(string reason, Exchange? exchange = null) : Exception(reason)
{
    public Exchange? Exchange { get; } = exchange;

    public string Detail => Exchange is null ? Message : $"{Message}\n{Exchange.Describe()}";
}
