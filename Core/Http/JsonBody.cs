using System.Buffers.Text;
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
    private static readonly Encoding StrictUtf8 =
        Encoding.GetEncoding(Encoding.UTF8.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);

    /// <summary>
    /// The longest base64 body that can hold a document of <see cref="MaxDocumentBytes"/>: a longer one is answered 413
    /// without decoding it, whatever it holds, as a plain body over the limit is.
    /// </summary>
    internal static readonly int MaxBase64Length = Base64.GetMaxEncodedToUtf8Length(MaxDocumentBytes);

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
        if (string.IsNullOrEmpty(body)) return Empty();

        byte[] bytes;
        if (isBase64Encoded)
        {
            if (body.Length > MaxBase64Length) return TooLarge();
            try { bytes = Convert.FromBase64String(body); }
            catch (FormatException) { return Result.Invalid(400, "The body is marked base64-encoded but is not valid base64."); }
            // Base64 may carry whitespace, which decodes to nothing.
            if (bytes.Length == 0) return Empty();
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
            return Result.Invalid(400, WhyNotAccepted(bytes));
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
        {
            // e.g. an escaped lone surrogate, which cannot be written back out as text.
            return Result.Invalid(400, "The body is not valid JSON: it contains an invalid string.");
        }
    }

    /// <summary>
    /// The media type a body must be sent as. A request without Content-Type counts as JSON, as API Gateway treats it
    /// when it picks the request model ("If no Content-Type is given, API Gateway assumes application/json").
    /// </summary>
    public const string ContentType = "application/json";

    /// <summary>The body's Content-Type is JSON: <c>application/json</c> in any case, with any parameters (charset), or none at all.</summary>
    public static bool IsJsonContentType(string? contentType) =>
        string.IsNullOrWhiteSpace(contentType)
        || string.Equals(contentType.Split(';', 2)[0].Trim(), ContentType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The 415 message for a body sent as another media type.</summary>
    public static string UnsupportedContentType(string contentType) =>
        $"Content-Type {contentType.Split(';', 2)[0].Trim()} is not supported; send the document as {ContentType}.";

    /// <summary>
    /// Why a body the strict parser refused is not accepted: nested too deep, a property name twice in one object
    /// (valid JSON, since RFC 8259 only says names SHOULD be unique, but ambiguous: parsers keep the first, the last,
    /// or both), or not JSON at all. One pass with a reader that has no depth limit tells them apart.
    /// </summary>
    private static string WhyNotAccepted(byte[] bytes)
    {
        // As deep as the body could be (a body n levels deep has at least n bytes), so it reads every body through.
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = bytes.Length });
        var namesPerLevel = new Stack<HashSet<string>>(); // one set per object or array; an array's stays empty
        int deepest = 0;
        string? duplicate = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        namesPerLevel.Push(new HashSet<string>(StringComparer.Ordinal));
                        deepest = Math.Max(deepest, namesPerLevel.Count);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        namesPerLevel.Pop();
                        break;
                    case JsonTokenType.PropertyName when !namesPerLevel.Peek().Add(reader.GetString()!):
                        duplicate ??= reader.GetString();
                        break;
                }
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return NotJson;
        }
        if (deepest > MaxDepth) return $"The body is nested {deepest} levels deep; at most {MaxDepth} are allowed.";
        if (duplicate is not null)
            return $"The body has the property '{(duplicate.Length > 64 ? duplicate[..64] + "..." : duplicate)}' twice in one object; send each name once.";
        // A fallback we know no body for: the strict parser refuses nothing else that this reader reads through.
        return NotJson;
    }

    private const string NotJson = "The body is not valid JSON.";

    private static string Compact(JsonElement root)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, CompactWriter))
            root.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static Result Empty() => Result.Invalid(400, "The request body is empty; send a JSON object.");

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
