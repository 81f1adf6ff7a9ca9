namespace ItemsApi.Core.Operations;

/// <summary>
/// Top-level fields of the items function's JSON log lines in CloudWatch (the Lambda runtime's JSON log
/// format: it writes timestamp, level, requestId and traceId; the function's message template adds the rest).
/// </summary>
public static class FunctionLogFields
{
    public const string Level = "level";
    public const string ErrorLevel = "Error";
    /// <summary>Lambda's request id, written by the runtime.</summary>
    public const string LambdaRequestId = "requestId";
    /// <summary>API Gateway's request id: the access log's requestId, to join the two logs.</summary>
    public const string ApiGatewayRequestId = "apiGatewayRequestId";
    public const string Method = "method";
    public const string Resource = "resource";
    public const string Status = "status";
    public const string LatencyMs = "latencyMs";
}
