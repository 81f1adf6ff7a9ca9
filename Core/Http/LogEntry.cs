using System.Globalization;
using System.Text;

namespace ItemsApi.Core.Http;

/// <summary>
/// One log line as a message template with named holes and their values, in order:
/// <c>"{method} {resource} answered {status}"</c> with <c>["GET", "/items", 200]</c>. Lambda's runtime, with
/// the JSON log format, writes each named value as a top-level field of the line (numbers as numbers), next to its
/// own <c>timestamp</c>, <c>level</c>, <c>requestId</c> (Lambda's) and <c>traceId</c>; with the Text format it
/// fills the values into the message, as <see cref="Render"/> does for logs outside Lambda.
/// </summary>
/// <remarks>
/// Hole names are the JSON field names, so they are camelCase, never repeat within a template and never take a
/// name the runtime writes itself (timestamp, level, requestId, traceId, message, errorType, errorMessage,
/// stackTrace): the line would then carry that field twice.
/// </remarks>
public sealed class LogEntry(string template, params object[] values)
{
    /// <summary>The per-request line; <c>apiGatewayRequestId</c> is the <c>requestId</c> of the stage's access log.</summary>
    public const string RequestTemplate =
        "{method} {resource} answered {status} in {latencyMs} ms, API Gateway request {apiGatewayRequestId}";

    /// <summary>A request the handler could not answer (it answers 500); the detail stays in the log.</summary>
    public const string RequestFailedTemplate =
        "{method} {path} failed with {error}: {detail}, API Gateway request {apiGatewayRequestId}";

    /// <summary>The request's deadline passed during a store call: answered 503 before Lambda's timeout.</summary>
    public const string DeadlineExceededTemplate =
        "{operation} ran out of time after {elapsedMs} ms waiting for DynamoDB and answered 503, API Gateway request {apiGatewayRequestId}";

    /// <summary>DynamoDB throttled, failed or did not answer (after the SDK's retries): answered 503.</summary>
    public const string DependencyFailedTemplate =
        "{operation} failed in DynamoDB after {elapsedMs} ms with {error}: {detail}, answered 503, API Gateway request {apiGatewayRequestId}";

    /// <summary>Priming in the init phase failed; the first real request will meet the failure again.</summary>
    public const string PrimeFailedTemplate = "Priming the request path failed with {error}: {detail}";

    public string Template { get; } = template;
    public object[] Values { get; } = values;

    public static LogEntry Request(string method, string resource, int status, TimeSpan latency, string apiGatewayRequestId) =>
        new(RequestTemplate, method, resource, status, Math.Round(latency.TotalMilliseconds, 2), apiGatewayRequestId);

    public static LogEntry RequestFailed(ApiRequest request, Exception exception) =>
        new(RequestFailedTemplate, request.Method, request.Path, ErrorName(exception), exception.Message, request.RequestId);

    public static LogEntry DeadlineExceeded(ApiRequest request, string operation, TimeSpan elapsed) =>
        new(DeadlineExceededTemplate, operation, Math.Round(elapsed.TotalMilliseconds, 2), request.RequestId);

    public static LogEntry DependencyFailed(ApiRequest request, string operation, Exception exception, TimeSpan elapsed) =>
        new(DependencyFailedTemplate, operation, Math.Round(elapsed.TotalMilliseconds, 2), ErrorName(exception), exception.Message, request.RequestId);

    public static LogEntry PrimeFailed(Exception exception) =>
        new(PrimeFailedTemplate, ErrorName(exception), exception.Message);

    /// <summary>The template's hole names, in order: the fields a JSON log line gets.</summary>
    public static IReadOnlyList<string> Names(string template)
    {
        var names = new List<string>();
        for (int open = template.IndexOf('{'); open >= 0; open = template.IndexOf('{', open + 1))
            names.Add(template[(open + 1)..template.IndexOf('}', open)]);
        return names;
    }

    /// <summary>The line as the runtime's Text format writes it: each hole replaced by its value.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        int next = 0, value = 0;
        for (int open = Template.IndexOf('{'); open >= 0; open = Template.IndexOf('{', next))
        {
            text.Append(Template, next, open - next).Append(Convert.ToString(Values[value++], CultureInfo.InvariantCulture));
            next = Template.IndexOf('}', open) + 1;
        }
        return text.Append(Template, next, Template.Length - next).ToString();
    }

    private static string ErrorName(Exception exception) => exception.GetType().ToString(); // its full name
}
