using System.Buffers.Binary;

namespace ItemsApi.Core.Items;

/// <summary>
/// Item ids are ULIDs: 26 Crockford base32 characters, a 48-bit millisecond timestamp followed by
/// 80 random bits. They are URL-safe, sort by creation time, and are easy to recognise, so a path
/// segment that cannot be one of ours is answered with 404 before DynamoDB is asked.
/// </summary>
public static class ItemId
{
    public const int Length = 26;

    /// <summary>What a valid id looks like (the OpenAPI pattern of the id parameter).</summary>
    public const string Pattern = "^[0-7][0-9A-HJKMNP-TV-Z]{25}$";
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>The process's generator: ids made by one function instance sort in creation order.</summary>
    public static ItemIdGenerator Generator { get; } = new();

    /// <summary>A new id from the process's generator; ids made in the same millisecond still sort in creation order.</summary>
    public static string New(TimeProvider clock) => Generator.Next(clock);

    /// <summary>True when <paramref name="value"/> has the exact shape of an id this API issues.</summary>
    public static bool IsValid(string? value)
    {
        if (value is null || value.Length != Length) return false;
        // The first character carries only 3 bits of the timestamp: 0-7.
        if (value[0] > '7') return false;
        foreach (char c in value)
            if (!Alphabet.Contains(c)) return false;
        return true;
    }

    internal static string Encode(long milliseconds, ReadOnlySpan<byte> random)
    {
        // 16 bytes, big-endian: the timestamp (6 bytes) then the randomness (10).
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)milliseconds << 16); // its low two bytes are zero, and overwritten next
        random.CopyTo(bytes[6..]);
        UInt128 value = BinaryPrimitives.ReadUInt128BigEndian(bytes);

        // 26 base-32 digits (130 bits, the top 2 zero), written from the least significant.
        Span<char> text = stackalloc char[Length];
        for (int i = Length - 1; i >= 0; i--)
        {
            text[i] = Alphabet[(int)(value % 32)];
            value /= 32;
        }
        return new string(text);
    }
}
