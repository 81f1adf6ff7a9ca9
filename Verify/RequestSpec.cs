namespace ItemsApi.Verify;

/// <summary>One request as the contract sends it: exactly these headers (Content-Type included) and body.</summary>
internal sealed record RequestSpec(string Method, Uri Url, IReadOnlyList<KeyValuePair<string, string>> Headers, string? Body = null);
