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

    public static string Encode(string lastId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + lastId));

    /// <summary>The id to start after, or null when <paramref name="token"/> is not one of ours.</summary>
    public static string? Decode(string token)
    {
        // Stryker disable once Logical,Equality : equivalent; a token of ours is 39 characters, so the length check only saves decoding.
        if (token.Length is 0 or > 64 || !Base64Url.IsValid(token)) return null;
        string text;
        try { text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)); }
        catch (FormatException) { return null; }
        if (!text.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        string id = text[Prefix.Length..];
        return ItemId.IsValid(id) ? id : null;
    }
}
