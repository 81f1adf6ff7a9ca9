using Microsoft.Extensions.Time.Testing;

namespace ItemsApi.TestKit;

/// <summary>A wait that takes no real time: it moves a <see cref="FakeTimeProvider"/> on by the wait instead.</summary>
public static class FakeDelay
{
    /// <summary>Stands in for <see cref="Task.Delay(TimeSpan, CancellationToken)"/>.</summary>
    public static Task AdvanceBy(this FakeTimeProvider clock, TimeSpan delay, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        clock.Advance(delay);
        return Task.CompletedTask;
    }
}
