using Amazon.Runtime;

namespace ItemsApi.Core.Runtime;

/// <summary>
/// How the function's DynamoDB client retries and times out, each value in one place with its reason. They fit inside
/// the request's deadline (<see cref="RequestDeadline"/>), which itself ends before Lambda's timeout and API Gateway's
/// 29 s; DeployTime.Tests relate them to lambdaTimeoutSeconds. Without them the SDK retries DynamoDB up to 10 times
/// (its DynamoDB default) with no time limit of ours per attempt.
/// </summary>
public static class DynamoDbClientSettings
{
    /// <summary>
    /// The SDK's standard mode: exponential backoff with jitter (AWS's guidance for retries) and a retry quota that stops
    /// retrying when most calls fail, so a DynamoDB outage is answered 503 quickly instead of multiplying the load.
    /// </summary>
    public const RequestRetryMode RetryMode = RequestRetryMode.Standard;

    /// <summary>Retries after the first attempt: 3 attempts in all, the standard mode's usual count.</summary>
    public const int MaxErrorRetry = 2;

    /// <summary>
    /// One attempt's limit. A DynamoDB single-item call takes milliseconds; an attempt still unanswered after 2 s is on a
    /// dead connection or a stuck partition, and a new attempt is the better bet.
    /// </summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Opening a connection: within a region it takes milliseconds; 1 s leaves the rest of the attempt for the call.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);

    /// <summary>All attempts at their limit, backoff aside: what one store call can take before the SDK gives up.</summary>
    public static TimeSpan AllAttempts => (MaxErrorRetry + 1) * AttemptTimeout;

    /// <summary>
    /// The longest the SDK's standard mode waits between attempts, in all: before retry n it sleeps a random share of
    /// 2^(n-1) s (AWSSDK.Core's StandardRetryPolicy.CalculateRetryDelay), so up to 1 s, then up to 2 s.
    /// </summary>
    public static TimeSpan LongestBackoff => TimeSpan.FromSeconds(Math.Pow(2, MaxErrorRetry) - 1);

    public static void ApplyTo(ClientConfig config)
    {
        config.RetryMode = RetryMode;
        config.MaxErrorRetry = MaxErrorRetry;
        config.Timeout = AttemptTimeout;
        config.ConnectTimeout = ConnectTimeout;
    }
}
