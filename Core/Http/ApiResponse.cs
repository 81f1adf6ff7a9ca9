namespace ItemsApi.Core.Http;

/// <summary>An HTTP response: status, headers and an optional JSON body.</summary>
public sealed class ApiResponse
{
    public required int StatusCode { get; init; }
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);
    public string? Body { get; init; }
}
