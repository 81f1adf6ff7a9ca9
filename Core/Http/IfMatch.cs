using System.Globalization;

namespace ItemsApi.Core.Http;

/// <summary>
/// Parses <c>If-Match</c>. Our ETags are the quoted version number (<c>"3"</c>); <c>*</c> means
/// "whatever version is stored now". Anything else is a client error, not a silent mismatch. An ETag is compared as a
/// string (RFC 9110, strong comparison), so <c>"01"</c>, which we never issue, is not <c>"1"</c>.
/// </summary>
public static class IfMatch
{
    public enum Kind { Missing, Any, Version, Malformed }

    public readonly record struct Value(Kind Kind, long Version = 0);

    public static Value Parse(string? header)
    {
        if (header is null) return new(Kind.Missing);
        string text = header.Trim();
        if (text.Length == 0) return new(Kind.Malformed);
        if (text == "*") return new(Kind.Any);
        if (text.Length >= 3 && text[0] == '"' && text[^1] == '"'
            && long.TryParse(text.AsSpan(1, text.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out long version)
            && version >= 1
            && text.AsSpan(1, text.Length - 2).SequenceEqual(version.ToString(CultureInfo.InvariantCulture)))
            return new(Kind.Version, version);
        return new(Kind.Malformed);
    }

    public const string Expected = "If-Match must be the item's ETag, e.g. \"3\" (with the quotes), or *.";
}
