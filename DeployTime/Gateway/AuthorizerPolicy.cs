namespace ItemsApi.DeployTime.Gateway;

/// <summary>
/// The TOKEN authorizer in front of every method (authMode apiKey+authorizer). A header that does not match
/// <see cref="IdentityValidationExpression"/> is refused with 401 without invoking the authorizer.
/// </summary>
/// <param name="Name">The authorizer's name on the REST API, in either way of building it.</param>
public sealed record AuthorizerPolicy(string Name, string Type, string IdentityHeader, string IdentityValidationExpression, int ResultTtlInSeconds)
{
    /// <summary>The one authorizer this API has: it checks bearer tokens.</summary>
    public const string BearerTokenName = "bearer-token";

    public string IdentitySource => $"method.request.header.{IdentityHeader}";
}
