using System.Buffers.Text;
using System.Text;
using ItemsApi.Core.Items;

namespace ItemsApi.Core.Http;

/// <summary>
/// The opaque <c>nextToken</c> of a listing: base64url of a format tag and the last item id.
/// Clients must not build tokens; a token we cannot have issued is a 400.
/// </summary>
public static class PageToken
{
    private const string Prefix = "v1:";

    /// <summary>The length of a token after an item: the tag and an id are always the same number of ASCII characters.</summary>
    internal static readonly int Length = Base64Url.GetEncodedLength(Prefix.Length + ItemId.Length);

    /// <summary>
    /// The length of a token after an idempotency key record: DynamoDB's scan may stop on one (they share the table),
    /// and its next page starts after it.
    /// </summary>
    internal static readonly int KeyRecordLength = Base64Url.GetEncodedLength(Prefix.Length + IdempotencyKey.RecordIdLength);

    public static string Encode(string lastId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + lastId));

    /// <summary>The id to start after, or null when <paramref name="token"/> is not one of ours.</summary>
    public static string? Decode(string token)
    {
        // The exact length, as the base64 check and the decoder skip whitespace: a token of ours padded with spaces is not ours.
        if ((token.Length != Length && token.Length != KeyRecordLength) || !Base64Url.IsValid(token)) return null;
        string text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        if (!text.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        string id = text[Prefix.Length..];
        return ItemId.IsValid(id) || IdempotencyKey.IsRecordId(id) ? id : null;
    }
}
