using System.Security.Cryptography;

namespace ItemsApi.Core.Items;

/// <summary>
/// Makes monotonic ULIDs: within one millisecond (or if the clock steps back) the random part counts up from
/// the last id, so ids still sort in creation order; a new millisecond draws fresh random bits.
/// </summary>
public sealed class ItemIdGenerator
{
    /// <summary>Earlier than any clock reading, so the next id takes the "new millisecond" path and draws fresh bits.</summary>
    private const long NoIdYet = long.MinValue;

    private readonly Lock _gate = new();
    private readonly Action<byte[]> _fillRandom;
    private long _lastMilliseconds = NoIdYet;
    private readonly byte[] _lastRandom = new byte[10];

    public ItemIdGenerator() : this(bytes => RandomNumberGenerator.Fill(bytes)) { }

    /// <param name="fillRandom">Fills the random part of a new millisecond's first id (tests pass known bits).</param>
    internal ItemIdGenerator(Action<byte[]> fillRandom) => _fillRandom = fillRandom;

    public string Next(TimeProvider clock)
    {
        long milliseconds = clock.GetUtcNow().ToUnixTimeMilliseconds();
        Span<byte> random = stackalloc byte[10];
        lock (_gate)
        {
            if (milliseconds <= _lastMilliseconds)
            {
                // Same (or an earlier) millisecond: keep the previous timestamp and count up the random part,
                // carrying from the last byte towards the first.
                milliseconds = _lastMilliseconds;
                for (int i = _lastRandom.Length - 1; i >= 0 && ++_lastRandom[i] == 0; i--) { }
            }
            else
            {
                _fillRandom(_lastRandom);
                _lastMilliseconds = milliseconds;
            }
            _lastRandom.CopyTo(random);
        }
        return ItemId.Encode(milliseconds, random);
    }

    /// <summary>
    /// Forgets the last id. Called after a Lambda SnapStart restore: every environment restored from one snapshot
    /// would otherwise continue the same random sequence and could issue the same ids.
    /// </summary>
    public void Reset()
    {
        lock (_gate) _lastMilliseconds = NoIdYet;
    }
}
