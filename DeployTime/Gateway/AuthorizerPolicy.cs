namespace ItemsApi.DeployTime.Gateway;

/// <summary>
/// The TOKEN authorizer in front of every method (authMode apiKey+authorizer). A header that does not match
/// <see cref="IdentityValidationExpression"/> is refused with 401 without invoking the authorizer.
/// </summary>
public sealed record AuthorizerPolicy(string Type, string IdentityHeader, string IdentityValidationExpression, int ResultTtlInSeconds)
{
    public string IdentitySource => $"method.request.header.{IdentityHeader}";
}
