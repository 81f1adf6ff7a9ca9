using ItemsApi.Core.Items;

namespace ItemsApi.Functions.Tests;

/// <summary>What the function does when Lambda resumes it from a SnapStart snapshot.</summary>
public sealed class SnapStartTests
{
    [Fact]
    public async Task After_a_restore_ids_draw_fresh_random_bits_instead_of_continuing_the_snapshots_sequence()
    {
        // A stopped clock past any other test's, so both ids fall in the same millisecond of the shared generator.
        var clock = new StoppedClock(new DateTimeOffset(6000, 1, 1, 0, 0, 0, TimeSpan.Zero));
        string before = ItemId.New(clock);
        string continued = ItemId.New(clock);
        Assert.Equal(before[10..20], continued[10..20]); // without a restore: the same random bits, counted up

        await ItemsFunction.AfterRestoreAsync();
        string restored = ItemId.New(clock);
        Assert.Equal(before[..10], restored[..10]);
        Assert.NotEqual(before[10..20], restored[10..20]);
    }

    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
