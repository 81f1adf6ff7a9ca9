using System.Globalization;
using System.Text.Json;

namespace ItemsApi.Verify;

/// <summary>What an answer must look like: each throws <see cref="CheckFailure"/>, naming what differs, with the exchange.</summary>
internal static class Expect
{
    public static void Status(Exchange exchange, int status, string context = "")
    {
        if (exchange.Status is null) throw new CheckFailure($"{context}expected {status}, got no response ({exchange.Error})", exchange);
        if (exchange.Status != status) throw new CheckFailure($"{context}expected {status}, got {exchange.Status}", exchange);
    }

    public static void Header(Exchange exchange, string name, string expected)
    {
        string? actual = exchange.Header(name);
        if (actual != expected) throw new CheckFailure($"{name} is {actual ?? "missing"}, expected {expected}", exchange);
    }

    /// <summary>An error body is a JSON object with a <c>message</c> in our words: exactly <paramref name="expected"/> when given.</summary>
    public static void Message(Exchange exchange, string? expected = null)
    {
        JsonContentType(exchange);
        string? message = exchange.Json() is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("message", out JsonElement m)
            && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        if (string.IsNullOrEmpty(message)) throw new CheckFailure("the body is not a JSON object with a message", exchange);
        if (expected is not null && message != expected) throw new CheckFailure($"the message is \"{message}\", expected \"{expected}\"", exchange);
    }

    public static void JsonContentType(Exchange exchange)
    {
        string? contentType = exchange.Header("Content-Type");
        if (contentType is null || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            throw new CheckFailure($"Content-Type is {contentType ?? "missing"}, expected application/json", exchange);
    }

    /// <summary>An item answer: id, the version (also as the ETag), timestamps, and the document unchanged under data.</summary>
    public static JsonElement Item(Exchange exchange, string document, long version)
    {
        JsonContentType(exchange);
        if (exchange.Json() is not { ValueKind: JsonValueKind.Object } item) throw new CheckFailure("the body is not a JSON object", exchange);
        if (IdOf(item) is null) throw new CheckFailure("the item has no id", exchange);
        if (!item.TryGetProperty("version", out JsonElement v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long actual) || actual != version)
            throw new CheckFailure($"the item's version is not {version}", exchange);
        foreach (string stamp in new[] { "createdAt", "updatedAt" })
            if (!item.TryGetProperty(stamp, out JsonElement at) || at.ValueKind != JsonValueKind.String)
                throw new CheckFailure($"the item has no {stamp}", exchange);
        using JsonDocument sent = JsonDocument.Parse(document);
        if (!item.TryGetProperty("data", out JsonElement data) || !JsonElement.DeepEquals(data, sent.RootElement))
            throw new CheckFailure("the item's data is not the document sent", exchange);
        Header(exchange, "ETag", $"\"{version.ToString(CultureInfo.InvariantCulture)}\"");
        return item;
    }

    /// <summary>An item's id: a non-empty string property "id" of a JSON object, else null.</summary>
    public static string? IdOf(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out JsonElement id) && id.ValueKind == JsonValueKind.String
            && id.GetString() is { Length: > 0 } text ? text : null;
}
