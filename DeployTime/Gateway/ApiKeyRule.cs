namespace ItemsApi.DeployTime.Gateway;

/// <summary>
/// API Gateway's rule for an API key's value: 20 to 128 characters ("Usage plans and API keys for REST APIs" in the
/// API Gateway developer guide). The config keys apiKeyValue and nextApiKeyValue and the <c>--api-key</c> option of
/// the local run and verify all check it, and say it, from here.
/// </summary>
public static class ApiKeyRule
{
    public const int MinLength = 20;
    public const int MaxLength = 128;

    /// <summary>The rule in words, for descriptions and messages: "20 to 128 characters".</summary>
    public static readonly string Text = $"{MinLength} to {MaxLength} characters";

    public static bool Allows(string value) => value.Length is >= MinLength and <= MaxLength;
}
