using ItemsApi.Core.Items;

namespace ItemsApi.Core.Tests;

/// <summary>Ids made with a stopped clock, by a generator of the test's own.</summary>
public class ItemIdSequenceTests
{
    private readonly ItemIdGenerator _generator = new();
    private readonly StoppedClock _clock = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Ids_made_in_the_same_millisecond_count_up_and_a_new_millisecond_gets_new_randomness()
    {
        var sameMillisecond = Enumerable.Range(0, 200).Select(_ => _generator.Next(_clock)).ToList();
        Assert.Equal(sameMillisecond, sameMillisecond.Order(StringComparer.Ordinal));
        Assert.Equal(sameMillisecond.Count, sameMillisecond.Distinct().Count());
        Assert.All(sameMillisecond, id => Assert.Equal(sameMillisecond[0][..10], id[..10]));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        string next = _generator.Next(_clock);
        Assert.NotEqual(sameMillisecond[0][..10], next[..10]);
        // Fresh random bits, not the last id's counter carried on.
        Assert.NotEqual(sameMillisecond[^1][10..], next[10..]);
        Assert.NotEqual(sameMillisecond[0][10..], next[10..]);
    }

    [Fact]
    public void A_clock_that_steps_back_never_breaks_the_order()
    {
        string first = _generator.Next(_clock);
        _clock.Advance(TimeSpan.FromSeconds(-5));
        string second = _generator.Next(_clock);
        Assert.True(string.CompareOrdinal(first, second) < 0);
        Assert.Equal(first[..10], second[..10]);
    }

    [Fact]
    public void After_a_reset_the_generator_draws_fresh_random_bits_in_the_same_millisecond()
    {
        // What a SnapStart restore calls: two environments restored from one snapshot must not share a sequence.
        string before = _generator.Next(_clock);
        _generator.Reset();
        string after = _generator.Next(_clock);
        Assert.Equal(before[..10], after[..10]);
        // Not the last id counted up (which changes only the last characters): fresh bits throughout.
        Assert.NotEqual(before[10..20], after[10..20]);
        Assert.NotEqual(ItemId.Encode(0, new byte[10])[10..], after[10..]);
    }
}
