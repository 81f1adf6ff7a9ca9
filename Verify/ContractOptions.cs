namespace ItemsApi.Verify;

/// <summary>Pacing, retries and waits of a contract run. Tests inject <see cref="Clock"/> and <see cref="Delay"/> to run without waiting.</summary>
public sealed record ContractOptions
{
    /// <summary>The least time between two requests: 200 ms is 5 per second, half of dev's usage-plan rate (10/s).</summary>
    public TimeSpan RequestInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long the first authenticated request retries on 403 while a new API key comes into effect.</summary>
    public TimeSpan KeyWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times a request answered 429 is sent again, waiting <see cref="ThrottleBackoff"/>, then twice as long each time.</summary>
    public int ThrottleRetries { get; init; } = 4;

    public TimeSpan ThrottleBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The most list pages the paging check reads (the first of 2 items, then 100 a page): it checks the pages it reads, and
    /// looks for verify's items in them only when they reach the last page, so it holds whatever the table's size.
    /// </summary>
    public int MaxListPages { get; init; } = 20;

    /// <summary>Measures pacing, the key wait and the run's duration.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Waits for pacing and backoff.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>Called as each check ends, so a person sees progress while requests are paced.</summary>
    public Action<CheckResult>? OnCheck { get; init; }
}
