namespace ItemsApi.Verify.Tests;

/// <summary>
/// A clock that only moves when told. The contract's delays advance it instead of sleeping, so pacing and
/// backoff take no real time, and the local gateway's throttle sees exactly the pace the contract keeps.
/// </summary>
public sealed class FakeClock : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = new(2026, 3, 4, 10, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by)
    {
        lock (_gate) _now += by;
    }

    /// <summary>Stands in for Task.Delay in <see cref="ContractOptions.Delay"/>.</summary>
    public Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Advance(delay);
        return Task.CompletedTask;
    }
}
