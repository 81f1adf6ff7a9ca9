namespace ItemsApi.Core.Runtime;

/// <summary>The time a request may spend before the handler stops waiting and answers 503 (<see cref="Http.ItemsApiHandler.HandleAsync"/>).</summary>
public static class RequestDeadline
{
    /// <summary>
    /// Kept back from Lambda's remaining time: enough to write the JSON answer and the log line and hand the answer to the
    /// runtime (milliseconds when warm), with room for a first call's one-time work. A function that runs into its timeout
    /// answers nothing: API Gateway then sends a bare 5xx and the log has no line of ours.
    /// </summary>
    public static readonly TimeSpan AnswerMargin = TimeSpan.FromMilliseconds(500);

    /// <summary>The budget for the request's store calls, given Lambda's remaining time; never negative.</summary>
    public static TimeSpan Budget(TimeSpan remainingTime) =>
        remainingTime > AnswerMargin ? remainingTime - AnswerMargin : TimeSpan.Zero;
}
