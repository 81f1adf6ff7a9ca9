using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace ItemsApi.Core.Http;

/// <summary>How a call to DynamoDB failed, as far as the client's next step goes.</summary>
public enum DependencyFailureKind
{
    /// <summary>DynamoDB refused the request for lack of capacity: nothing was applied; retry later.</summary>
    Throttled,

    /// <summary>DynamoDB answered 5xx, or did not answer (network error, an attempt's timeout) after the SDK's retries: a write's outcome is unknown.</summary>
    Unavailable,

    /// <summary>The request's own deadline passed (the function's time, minus the margin to answer): a write's outcome is unknown.</summary>
    DeadlineExceeded,
}

/// <summary>
/// The one place that tells a DynamoDB failure the client can retry from a bug of ours, by the SDK's exception types and
/// status codes (DynamoDB Developer Guide, "Error handling with DynamoDB": throttling errors and 5xx are retryable).
/// Every kind is answered 503 with <c>Retry-After</c>: "try again later", never the 500 that means "broken".
/// </summary>
public static class DependencyFailure
{
    /// <summary>
    /// Retry-After on every 503, in seconds. DynamoDB meters capacity per second, so a throttled partition has new capacity a
    /// second later; and the SDK has already retried with backoff inside this request, so the client need not retry sooner.
    /// </summary>
    public const int RetryAfterSeconds = 1;

    /// <summary>DynamoDB's throttling error codes (its error-handling guide), as the SDK reports them in ErrorCode.</summary>
    private static readonly string[] ThrottlingCodes = ["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"];

    /// <summary>The kind of <paramref name="exception"/>, or null when it is not a dependency failure (a bug: 500).</summary>
    /// <remarks>Cancellation by the request's deadline is told apart by the handler, which owns the token.</remarks>
    public static DependencyFailureKind? Classify(Exception exception) => exception switch
    {
        ProvisionedThroughputExceededException or RequestLimitExceededException or ThrottlingException => DependencyFailureKind.Throttled,
        AmazonServiceException service when ThrottlingCodes.Contains(service.ErrorCode) || service.StatusCode == HttpStatusCode.TooManyRequests
            => DependencyFailureKind.Throttled,
        InternalServerErrorException => DependencyFailureKind.Unavailable,
        AmazonServiceException service when (int)service.StatusCode >= 500 => DependencyFailureKind.Unavailable,
        // No answer at all: the connection failed or an attempt's timeout (the client's Timeout) ran out, after the SDK's retries.
        HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException => DependencyFailureKind.Unavailable,
        AmazonClientException { InnerException: { } inner } => Classify(inner),
        AmazonServiceException { InnerException: { } inner } when Classify(inner) is { } innerKind => innerKind,
        _ => null,
    };
}
