using System.Diagnostics;
using System.Globalization;
using ItemsApi.DeployTime.Gateway;

namespace ItemsApi.LocalGateway;

/// <summary>
/// The local stage's access log: one line per request in the stage's format (<see cref="AccessLogFormat"/>), each field
/// from the local request's context. <see cref="AccessLogFormat.Line"/> refuses a line that leaves a field out, so a
/// field added to the format fails here on the first request until it has a local value.
/// </summary>
internal sealed class LocalAccessLog(TextWriter writer, TimeProvider clock)
{
    private readonly Lock _gate = new();

    public void Write(HttpContext http, AccessLogEntry entry, int status, int responseLength)
    {
        string line = AccessLogFormat.Line(new Dictionary<string, string?>
        {
            [AccessLogFormat.RequestId] = entry.RequestId,
            [AccessLogFormat.ExtendedRequestId] = entry.ExtendedRequestId,
            [AccessLogFormat.Ip] = http.Connection.RemoteIpAddress?.ToString(),
            [AccessLogFormat.RequestTime] = clock.GetUtcNow().ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture),
            [AccessLogFormat.HttpMethod] = http.Request.Method,
            [AccessLogFormat.ResourcePath] = entry.ResourcePath,
            [AccessLogFormat.Status] = status.ToString(CultureInfo.InvariantCulture),
            [AccessLogFormat.Protocol] = http.Request.Protocol,
            [AccessLogFormat.ResponseLength] = responseLength.ToString(CultureInfo.InvariantCulture),
            [AccessLogFormat.ResponseLatency] = Milliseconds(Stopwatch.GetElapsedTime(entry.Started)),
            [AccessLogFormat.IntegrationLatency] = entry.IntegrationLatency is { } latency ? Milliseconds(latency) : null,
            [AccessLogFormat.IntegrationStatus] = entry.IntegrationStatus?.ToString(CultureInfo.InvariantCulture),
            [AccessLogFormat.ErrorMessage] = entry.ErrorMessage,
            [AccessLogFormat.ErrorResponseType] = entry.ErrorResponseType,
            [AccessLogFormat.AuthorizerError] = entry.AuthorizerError,
            [AccessLogFormat.AuthorizerRequestId] = entry.AuthorizerRequestId,
            // The function answers locally; it never fails to be reached, so there is no integration error to report.
            [AccessLogFormat.IntegrationErrorMessage] = null,
            [AccessLogFormat.ApiKeyId] = entry.ApiKeyId,
            // No X-Ray locally: "-", as API Gateway writes when tracing is off.
            [AccessLogFormat.XrayTraceId] = null,
        });
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    /// <summary>Whole milliseconds, as API Gateway logs latencies.</summary>
    private static string Milliseconds(TimeSpan elapsed) => ((long)elapsed.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}

/// <summary>What one request contributes to its access-log line, filled in as the gateway handles it.</summary>
internal sealed class AccessLogEntry(string requestId, long started)
{
    public string RequestId { get; } = requestId;
    /// <summary>API Gateway's second id for the request (the one its support asks for).</summary>
    public string ExtendedRequestId { get; } = Convert.ToBase64String(Guid.NewGuid().ToByteArray())[..16];
    public long Started { get; } = started;
    public TimeSpan? IntegrationLatency { get; set; }
    public int? IntegrationStatus { get; set; }
    public string? ResourcePath { get; set; }
    public string? ErrorMessage { get; set; }
    public string? ErrorResponseType { get; set; }
    public string? AuthorizerError { get; set; }
    /// <summary>The authorizer's invocation, when it ran (a header of the bearer token's shape).</summary>
    public string? AuthorizerRequestId { get; set; }
    public string? ApiKeyId { get; set; }
}
