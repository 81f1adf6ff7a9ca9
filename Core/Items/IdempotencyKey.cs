using System.Security.Cryptography;
using System.Text;

namespace ItemsApi.Core.Items;

/// <summary>
/// A client's <c>Idempotency-Key</c> for one create, and how long the store remembers it. The header is the IETF
/// httpapi draft "The Idempotency-Key HTTP Header Field" (draft-ietf-httpapi-idempotency-key-header; its source:
/// github.com/ietf-wg-httpapi/idempotency): the same key with the same body within <see cref="Window"/> is the same
/// create, answered with the original item and stored once.
/// </summary>
public sealed record IdempotencyKey(string Value, TimeSpan Window)
{
    /// <summary>The longest key accepted: a UUID is 36 characters; 255 is the usual limit of APIs that take one.</summary>
    public const int MaxLength = 255;

    /// <summary>
    /// What a key may contain: letters, digits and <c>- _ . : ~ + / =</c> (UUIDs, ULIDs, base64). The draft makes the
    /// value a Structured Field String (RFC 8941), so it may come quoted; the bare form that most APIs take is accepted too.
    /// </summary>
    public const string Pattern = "^(\"[A-Za-z0-9._~:+/=-]{1,255}\"|[A-Za-z0-9._~:+/=-]{1,255})$";

    /// <summary>The message for a header that is not a key (400).</summary>
    public const string Expected =
        "Idempotency-Key must be 1 to 255 letters, digits or - _ . : ~ + / =, optionally in double quotes; a new UUID per create is a good key.";

    /// <summary>
    /// How long a claimed key blocks other requests with it while the first one runs (answered 409): longer than any
    /// request can run, as API Gateway stops waiting for the function at 29 s (DeployTime.Tests relate the two). After it,
    /// a retry takes over the claim and finishes the create with the id the first request chose, so the item exists once.
    /// </summary>
    public static readonly TimeSpan InFlightLease = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a create that ran out of time still tries to end its claim's lease, so the client's retry is not held at
    /// 409s for the rest of <see cref="InFlightLease"/>: well inside the margin the function keeps to answer
    /// (RequestDeadline.AnswerMargin; DeployTime.Tests relate the two).
    /// </summary>
    public static readonly TimeSpan ReleaseAfterDeadline = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Key records live in the items table beside the items, under ids that can never be an item id (ULIDs have no '#');
    /// listing skips them and GET never asks for them. The same table needs no second table, no new permission for the
    /// function and no new stack resource (only the table's TTL). A TransactWriteItems could write record and item
    /// together, but dynalite 4.0.0, the server every test runs, does not implement it; instead the record is written
    /// first and fixes the item's id, so however the writes after it fail, a retry stores that one id: one item per key.
    /// </summary>
    public const string RecordIdPrefix = "idempotency-key#";

    /// <summary>Every record id has this length: the prefix and a SHA-256 in hex.</summary>
    public static readonly int RecordIdLength = RecordIdPrefix.Length + 64;

    /// <summary>The key, unquoted, when <paramref name="header"/> is a valid key; else null.</summary>
    public static string? Parse(string header)
    {
        string value = header is ['"', .. var inner, '"'] ? inner : header;
        if (value.Length is 0 or > MaxLength) return null;
        foreach (char c in value)
            if (!(char.IsAsciiLetterOrDigit(c) || "-_.:~+/=".Contains(c))) return null;
        return value;
    }

    /// <summary>The key record's id: a hash, so any key fits the id's size and the record cannot be mistaken for an item.</summary>
    public string RecordId => RecordIdPrefix + Hash(Value);

    public static bool IsRecordId(string id) =>
        id.Length == RecordIdLength && id.StartsWith(RecordIdPrefix, StringComparison.Ordinal)
        && !id.AsSpan(RecordIdPrefix.Length).ContainsAnyExcept("0123456789abcdef");

    /// <summary>What identifies "the same request": the compact document the create stores, hashed.</summary>
    public static string Fingerprint(string documentJson) => Hash(documentJson);

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
