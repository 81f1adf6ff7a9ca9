using System.Text.Json;

namespace ItemsApi.LocalLambda;

/// <summary>
/// What the function posted to the Runtime API for one invocation: the response, or (with <see cref="ErrorType"/>)
/// the error report Lambda hands to the caller; API Gateway reads its <c>errorMessage</c>. <see cref="AnsweredAt"/> is
/// when the answer arrived, a <see cref="System.Diagnostics.Stopwatch"/> timestamp.
/// </summary>
public sealed record InvocationResult(string RequestId, string TraceId, string Body, string? ErrorType, long AnsweredAt)
{
    public bool IsError => ErrorType is not null;

    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
}
