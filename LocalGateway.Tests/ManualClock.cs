namespace ItemsApi.LocalGateway.Tests;

/// <summary>A clock the tests move by hand, so throttling and quotas are exact.</summary>
public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 11, 18, 23, 0, 0, TimeSpan.Zero); // a Wednesday, 23:00 UTC

    public override DateTimeOffset GetUtcNow() => _now;
    public override long GetTimestamp() => _now.UtcTicks;
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public void Advance(TimeSpan by) => _now += by;
}
