namespace ItemsApi.Core.Tests;

/// <summary>A clock that reads the same instant until a test moves it.</summary>
public sealed class StoppedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
    public void Advance(TimeSpan by) => now += by;
}
