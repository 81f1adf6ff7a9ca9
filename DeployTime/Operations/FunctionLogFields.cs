namespace ItemsApi.DeployTime.Operations;

/// <summary>
/// Top-level fields of the items function's JSON log lines in CloudWatch (the Lambda runtime's JSON log
/// format: it writes timestamp, level, requestId and traceId; the holes of the function's message templates in
/// <see cref="Http.LogEntry"/> add the rest, and a test holds the two together).
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
    /// <summary>A number in these lines (the runtime keeps numbers), unlike the access log's string.</summary>
    public const string Status = "status";
    public const string LatencyMs = "latencyMs";
    /// <summary>On a failed request's line: the path called, the exception type and its message.</summary>
    public const string Path = "path";
    public const string Error = "error";
    public const string Detail = "detail";
}
