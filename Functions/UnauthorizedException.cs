using ItemsApi.Core.Auth;

namespace ItemsApi.Functions;

/// <summary>
/// The error API Gateway turns into 401 Unauthorized: an authorizer that fails with exactly the message
/// <see cref="BearerTokenAuthorizer.RefusedError"/>. <see cref="Reason"/> says why (never the token).
/// </summary>
/// <remarks>
/// Lambda's runtime writes an unhandled exception as one log line built from its type, <see cref="Exception.Message"/>
/// and <see cref="ToString"/> (the JSON format splits ToString into <c>stackTrace</c>), and reports the type, Message
/// and <see cref="StackTrace"/> to API Gateway. A refusal is expected, not a fault, and its stack is always the same,
/// so ToString is one line with the reason and there is no stack trace: each refused token costs one short line.
/// </remarks>
public sealed class UnauthorizedException(string reason) : Exception(BearerTokenAuthorizer.RefusedError)
{
    public string Reason { get; } = reason;

    public override string? StackTrace => null;

    public override string ToString() => $"{GetType().FullName}: {Message} ({Reason})";
}
