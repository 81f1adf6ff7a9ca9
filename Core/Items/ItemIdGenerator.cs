using System.Security.Cryptography;

namespace ItemsApi.Core.Items;

/// <summary>
/// Makes monotonic ULIDs: within one millisecond (or if the clock steps back) the random part counts up from
/// the last id, so ids still sort in creation order; a new millisecond draws fresh random bits.
/// </summary>
public sealed class ItemIdGenerator
{
    private readonly Lock _gate = new();
    // Stryker disable once Unary : equivalent unless the clock reads the Unix epoch's first millisecond.
    private long _lastMilliseconds = -1;
    private readonly byte[] _lastRandom = new byte[10];

    public string Next(TimeProvider clock)
    {
        long milliseconds = clock.GetUtcNow().ToUnixTimeMilliseconds();
        Span<byte> random = stackalloc byte[10];
        lock (_gate)
        {
            if (milliseconds <= _lastMilliseconds)
            {
                // Same (or an earlier) millisecond: keep the previous timestamp and count up the random part.
                milliseconds = _lastMilliseconds;
                // Stryker disable once Equality : equivalent in practice; the carry reaches byte 0 only when the 72 bits after it are all ones.
                for (int i = _lastRandom.Length - 1; i >= 0 && ++_lastRandom[i] == 0; i--) { }
            }
            else
            {
                RandomNumberGenerator.Fill(_lastRandom);
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
        // The next id then takes the "new millisecond" path, which draws fresh random bits.
        // Stryker disable once Unary : equivalent unless the clock reads the Unix epoch's first millisecond.
        lock (_gate) _lastMilliseconds = -1;
    }
}
