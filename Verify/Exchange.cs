using System.Text;
using System.Text.Json;

namespace ItemsApi.Verify;

/// <summary>A request and what came back: a response, or the error that stopped it (timeout, connection refused).</summary>
internal sealed record Exchange(RequestSpec Request, int? Status, IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders, string? ResponseBody,
    string? Error, int Attempts)
{
    /// <summary>Bodies longer than this are cut in reports: enough to see what went wrong.</summary>
    private const int MaxBodyInReport = 2000;

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
        text.Append($"\n          body: {(string.IsNullOrEmpty(ResponseBody) ? "(empty)" : Cut(ResponseBody))}");
        return text.ToString();
    }

    private static string Cut(string body) => body.Length <= MaxBodyInReport ? body : body[..MaxBodyInReport] + $"... ({body.Length} characters)";
}
