using ItemsApi.Core.Items;

namespace ItemsApi.Core.Tests;

/// <summary>
/// Ids made with a stopped clock. The generator's "last millisecond" is shared by the process, so these run
/// alone (other tests making ids meanwhile would share the sequence).
/// </summary>
[Collection(Name)]
public class ItemIdSequenceTests
{
    public const string Name = "ItemId sequence";

    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class Alone;

    [Fact]
    public void Ids_made_in_the_same_millisecond_count_up_and_a_new_millisecond_gets_new_randomness()
    {
        // Later than any clock another test uses: the generator never goes back in time, so an earlier clock would
        // only continue the last sequence.
        var clock = new StoppedClock(new DateTimeOffset(5000, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var sameMillisecond = Enumerable.Range(0, 200).Select(_ => ItemId.New(clock)).ToList();
        Assert.Equal(sameMillisecond, sameMillisecond.Order(StringComparer.Ordinal));
        Assert.Equal(sameMillisecond.Count, sameMillisecond.Distinct().Count());
        Assert.All(sameMillisecond, id => Assert.Equal(sameMillisecond[0][..10], id[..10]));

        clock.Advance(TimeSpan.FromMilliseconds(1));
        string next = ItemId.New(clock);
        Assert.NotEqual(sameMillisecond[0][..10], next[..10]);
        // Fresh random bits, not the last id's counter carried on.
        Assert.NotEqual(sameMillisecond[^1][10..], next[10..]);
        Assert.NotEqual(sameMillisecond[0][10..], next[10..]);
    }

    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
        public void Advance(TimeSpan by) => now += by;
    }
}
