namespace ItemsApi.Core.Auth;

/// <summary>
/// What <see cref="BearerTokenAuthorizer.Check"/> decided: the principal when the caller is allowed, otherwise why
/// not (<see cref="BearerTokenAuthorizer.MissingToken"/>, <see cref="BearerTokenAuthorizer.MalformedToken"/> or
/// <see cref="BearerTokenAuthorizer.UnknownToken"/>), in words that never contain the token.
/// </summary>
public sealed record TokenCheck(string? PrincipalId, string? DenialReason)
{
    public bool IsAllowed => PrincipalId is not null;
}
