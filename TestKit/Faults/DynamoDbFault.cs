using System.Net;

namespace ItemsApi.TestKit.Faults;

/// <summary>
/// What the proxy does to one DynamoDB call instead of (or as well as) passing it on. The error answers are DynamoDB's
/// own wire shapes (Developer Guide, "Error handling with DynamoDB": an HTTP status, <c>x-amzn-RequestId</c>, a JSON
/// body of <c>__type</c> and <c>message</c> in <c>application/x-amz-json-1.0</c>), so the SDK parses them into the
/// same exceptions, and retries them under the same rules, as it would on AWS.
/// </summary>
public abstract record DynamoDbFault
{
    private const string DynamoDbErrorPrefix = "com.amazonaws.dynamodb.v20120810#";

    /// <summary>400 ProvisionedThroughputExceededException: the table's or a partition's capacity is used up.</summary>
    public static DynamoDbFault ProvisionedThroughputExceeded { get; } = new ErrorAnswer(HttpStatusCode.BadRequest,
        DynamoDbErrorPrefix + "ProvisionedThroughputExceededException",
        "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.");

    /// <summary>400 ThrottlingException: requests arrive faster than DynamoDB allows.</summary>
    public static DynamoDbFault Throttling { get; } = new ErrorAnswer(HttpStatusCode.BadRequest,
        "com.amazon.coral.availability#ThrottlingException", "Rate of requests exceeds the allowed throughput.");

    /// <summary>400 RequestLimitExceeded: the account's throughput quota is used up (on-demand tables).</summary>
    public static DynamoDbFault RequestLimitExceeded { get; } = new ErrorAnswer(HttpStatusCode.BadRequest,
        DynamoDbErrorPrefix + "RequestLimitExceeded",
        "Throughput exceeds the current throughput limit for your account. Please contact AWS Support at https://aws.amazon.com/support request a limit increase");

    /// <summary>500 InternalServerError: DynamoDB failed; the SDK retries it.</summary>
    public static DynamoDbFault InternalServerError { get; } = new ErrorAnswer(HttpStatusCode.InternalServerError,
        DynamoDbErrorPrefix + "InternalServerError", "Internal server error");

    /// <summary>503 ServiceUnavailable: DynamoDB is not answering for now; the SDK retries it.</summary>
    public static DynamoDbFault ServiceUnavailable { get; } = new ErrorAnswer(HttpStatusCode.ServiceUnavailable,
        "com.amazon.coral.availability#ServiceUnavailableException", "Service unavailable");

    /// <summary>Waits, then passes the call on: a slow DynamoDB.</summary>
    public static DynamoDbFault DelayBefore(TimeSpan delay) => new Delay(delay, AfterForwarding: false);

    /// <summary>Passes the call on, then holds the answer: the write happened, but the caller may give up first.</summary>
    public static DynamoDbFault DelayAfter(TimeSpan delay) => new Delay(delay, AfterForwarding: true);

    /// <summary>Closes the connection without passing the call on: nothing happened, and the caller cannot know it.</summary>
    public static DynamoDbFault DropBefore { get; } = new Drop(AfterForwarding: false);

    /// <summary>Passes the call on, then closes the connection: the write happened, and the answer is lost.</summary>
    public static DynamoDbFault DropAfter { get; } = new Drop(AfterForwarding: true);

    /// <summary>An error answer in DynamoDB's shape, never passed on.</summary>
    public sealed record ErrorAnswer(HttpStatusCode Status, string Type, string Message) : DynamoDbFault
    {
        /// <summary>The exception name the SDK reads from <c>__type</c> (the part after <c>#</c>).</summary>
        public string Code => Type[(Type.IndexOf('#') + 1)..];
    }

    public sealed record Delay(TimeSpan Duration, bool AfterForwarding) : DynamoDbFault;

    public sealed record Drop(bool AfterForwarding) : DynamoDbFault;
}
