using System.Text.Json;
using ItemsApi.Core.Http;

namespace ItemsApi.TestKit;

/// <summary>Sends requests to the handler the way a gateway would, and reads JSON answers.</summary>
public sealed class ApiClient(ItemsApiHandler handler)
{
    private int _requests;

    public Task<ApiResponse> SendAsync(string method, string path, string? body = null,
        IReadOnlyDictionary<string, string>? headers = null, bool base64 = false)
    {
        (string pathOnly, Dictionary<string, string> query) = SplitQuery(path);
        return handler.HandleAsync(new ApiRequest
        {
            Method = method,
            Path = pathOnly,
            PublicPath = "/test" + pathOnly,
            Query = query,
            Headers = headers ?? new Dictionary<string, string>(),
            Body = body,
            IsBase64Encoded = base64,
            RequestId = $"req-{Interlocked.Increment(ref _requests)}",
        });
    }

    public async Task<JsonElement> CreateAsync(string document)
    {
        ApiResponse response = await SendAsync("POST", "/items", document);
        Assert.Equal(201, response.StatusCode);
        return Json(response);
    }

    public static JsonElement Json(ApiResponse response) => JsonDocument.Parse(response.Body!).RootElement.Clone();

    public static Dictionary<string, string> IfMatch(string etag) => new() { ["If-Match"] = etag };

    private static (string, Dictionary<string, string>) SplitQuery(string path)
    {
        var query = new Dictionary<string, string>();
        int mark = path.IndexOf('?');
        if (mark < 0) return (path, query);
        foreach (string pair in path[(mark + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = pair.Split('=', 2);
            query[Uri.UnescapeDataString(parts[0])] = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
        }
        return (path[..mark], query);
    }
}
