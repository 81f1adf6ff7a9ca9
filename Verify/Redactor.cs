namespace ItemsApi.Verify;

/// <summary>Replaces secrets (the API key, the bearer token) wherever they appear in text meant for people or logs.</summary>
internal sealed class Redactor
{
    public const string Mask = "***";

    private readonly string[] _secrets;

    public Redactor(IEnumerable<string?> secrets)
    {
        // The URL-escaped form too: a secret can reach a URL or a body escaped. Longest first, so a secret that
        // contains another is masked whole.
        _secrets = secrets.OfType<string>().Where(s => s.Length > 0)
            .SelectMany(s => new[] { s, Uri.EscapeDataString(s) }).Distinct()
            .OrderByDescending(s => s.Length).ToArray();
    }

    public string Redact(string text)
    {
        foreach (string secret in _secrets) text = text.Replace(secret, Mask, StringComparison.Ordinal);
        return text;
    }
}
