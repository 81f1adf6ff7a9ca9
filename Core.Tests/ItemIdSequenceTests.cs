using ItemsApi.Core.Items;
using Microsoft.Extensions.Time.Testing;

namespace ItemsApi.Core.Tests;

/// <summary>Ids made with a stopped clock, by a generator of the test's own.</summary>
public class ItemIdSequenceTests
{
    private readonly ItemIdGenerator _generator = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));

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
        _clock.AdjustTime(_clock.GetUtcNow().AddSeconds(-5)); // the host's clock set back, as NTP may
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

    /// <summary>A generator whose "fresh random bits" are the given arrays, in turn.</summary>
    private static ItemIdGenerator WithRandomness(params byte[][] draws)
    {
        var queue = new Queue<byte[]>(draws);
        return new ItemIdGenerator(bytes => queue.Dequeue().CopyTo(bytes, 0));
    }

    private static readonly byte[] SomeBits = [0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0, 0x12, 0x34];
    private static readonly byte[] OtherBits = [0xA5, 0xA5, 0xA5, 0xA5, 0xA5, 0xA5, 0xA5, 0xA5, 0xA5, 0xA5];

    [Fact]
    public void A_clock_at_the_unix_epoch_gets_ids_of_that_millisecond_with_fresh_bits_before_and_after_a_reset()
    {
        var epoch = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        ItemIdGenerator generator = WithRandomness(SomeBits, OtherBits);

        Assert.Equal(ItemId.Encode(0, SomeBits), generator.Next(epoch));
        generator.Reset();
        Assert.Equal(ItemId.Encode(0, OtherBits), generator.Next(epoch));
    }

    [Fact]
    public void Counting_up_in_one_millisecond_carries_into_the_first_byte_of_the_random_part()
    {
        byte[] lastBeforeCarry = [0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
        ItemIdGenerator generator = WithRandomness(lastBeforeCarry);
        long milliseconds = _clock.GetUtcNow().ToUnixTimeMilliseconds();

        string first = generator.Next(_clock);
        string second = generator.Next(_clock);

        Assert.Equal(ItemId.Encode(milliseconds, lastBeforeCarry), first);
        Assert.Equal(ItemId.Encode(milliseconds, [0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0]), second);
        Assert.True(string.CompareOrdinal(first, second) < 0);
    }
}
