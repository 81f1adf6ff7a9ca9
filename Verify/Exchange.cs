using System.Text;
using System.Text.Json;

namespace ItemsApi.Verify;

/// <summary>A request and what came back: a response, or the error that stopped it (timeout, connection refused).</summary>
internal sealed record Exchange(RequestSpec Request, int? Status, IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders, string? ResponseBody,
    string? Error, int Attempts)
{
    /// <summary>Bodies longer than this are cut in reports: enough to see what went wrong.</summary>
    private const int MaxBodyInReport = 2000;

    /// <summary>
    /// The ids of the items verify created in this run (StageRequests sets them): only their bodies may appear in a report.
    /// A stage holds other people's data, and a report goes to a CI log.
    /// </summary>
    public IReadOnlySet<string> OwnItemIds { get; init; } = new HashSet<string>();

    public string? Header(string name) =>
        ResponseHeaders.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    /// <summary>The response body as JSON, or null when it is not JSON.</summary>
    public JsonElement? Json()
    {
        if (string.IsNullOrEmpty(ResponseBody)) return null;
        try
        {
            using JsonDocument document = JsonDocument.Parse(ResponseBody);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public string Describe()
    {
        var text = new StringBuilder();
        text.Append($"request:  {Request.Method} {Request.Url}");
        foreach ((string name, string value) in Request.Headers) text.Append($"\n          {name}: {value}");
        if (Request.Body is not null) text.Append($"\n          body: {Cut(Request.Body)}");
        if (Status is null)
        {
            text.Append($"\nresponse: none ({Error})");
            return text.ToString();
        }
        text.Append($"\nresponse: {Status}");
        if (Attempts > 1) text.Append($" (attempt {Attempts}: the earlier ones got 429)");
        foreach ((string name, string value) in ResponseHeaders) text.Append($"\n          {name}: {value}");
        text.Append($"\n          body: {(string.IsNullOrEmpty(ResponseBody) ? "(empty)" : Cut(ReportableBody(ResponseBody)))}");
        return text.ToString();
    }

    /// <summary>
    /// The response body as a report may show it: a list page as its ids and nextToken only, an item verify did not create
    /// as its id only; anything else as it is.
    /// </summary>
    private string ReportableBody(string body)
    {
        if (Json() is not { ValueKind: JsonValueKind.Object } json) return body;
        if (json.TryGetProperty("items", out JsonElement items) && items.ValueKind == JsonValueKind.Array)
        {
            string[] ids = items.EnumerateArray().Select(item => Expect.IdOf(item) ?? "(no id)").ToArray();
            string next = json.TryGetProperty("nextToken", out JsonElement token) ? token.ValueKind == JsonValueKind.String ? "a nextToken" : $"nextToken {token}" : "no nextToken";
            return $"(a page of {ids.Length} items and {next}; item bodies are not shown, ids: {string.Join(", ", ids)})";
        }
        if (Expect.IdOf(json) is { } id && !OwnItemIds.Contains(id))
            return $"(item {id}, which verify did not create: its body is not shown)";
        return body;
    }

    private static string Cut(string body) => body.Length <= MaxBodyInReport ? body : body[..MaxBodyInReport] + $"... ({body.Length} characters)";
}
