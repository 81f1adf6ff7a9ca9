using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Gateway;

/// <summary>
/// The stage's access-log line: one JSON object per request. The stack renders it with API Gateway
/// <c>$context</c> variables; the local gateway writes the same fields from its own request context.
/// The saved Logs Insights queries and the dashboard read these field names (<see cref="Operations.SavedQueries"/>).
/// </summary>
public static class AccessLogFormat
{
    public const string RequestId = "requestId";
    public const string HttpMethod = "httpMethod";
    public const string ResourcePath = "resourcePath";
    public const string Status = "status";
    public const string ResponseLatency = "responseLatency";
    public const string IntegrationLatency = "integrationLatency";
    public const string IntegrationStatus = "integrationStatus";
    public const string ErrorMessage = "errorMessage";
    public const string ApiKeyId = "apiKeyId";

    /// <summary>
    /// Field name in the log line → the API Gateway context variable that fills it. Most variables are
    /// written inside quotes; <c>$context.error.messageString</c> already is a quoted, JSON-escaped string
    /// (a message with a quote in it would break a hand-quoted <c>$context.error.message</c>).
    /// </summary>
    public static IReadOnlyList<(string Field, string ContextVariable)> Fields { get; } =
    [
        (RequestId, "$context.requestId"),
        ("extendedRequestId", "$context.extendedRequestId"),
        ("ip", "$context.identity.sourceIp"),
        ("requestTime", "$context.requestTime"),
        (HttpMethod, "$context.httpMethod"),
        (ResourcePath, "$context.resourcePath"),
        (Status, "$context.status"),
        ("protocol", "$context.protocol"),
        ("responseLength", "$context.responseLength"),
        (ResponseLatency, "$context.responseLatency"),
        (IntegrationLatency, "$context.integration.latency"),
        (IntegrationStatus, "$context.integration.status"),
        (ErrorMessage, QuotedMessageVariable),
        ("errorResponseType", "$context.error.responseType"),
        ("authorizerError", "$context.authorizer.error"),
        // Lambda's request id of the authorizer's invocation: joins a 401 to the authorizer's one-line denial.
        ("authorizerRequestId", "$context.authorizer.requestId"),
        ("integrationErrorMessage", "$context.integrationErrorMessage"),
        (ApiKeyId, "$context.identity.apiKeyId"),
        ("xrayTraceId", "$context.xrayTraceId"),
    ];

    /// <summary>API Gateway renders this variable with its own quotes and escaping.</summary>
    public const string QuotedMessageVariable = "$context.error.messageString";

    // Readable output: '+' in "+0000" stays '+', not \u002B. Source-generated, so the functions' Native AOT build keeps it.
    private static readonly SettingsJsonContext Json = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>The format string for the stage's access log settings (one line of JSON).</summary>
    public static string ApiGatewayFormat { get; } = BuildApiGatewayFormat();

    private static string BuildApiGatewayFormat()
    {
        var format = new StringBuilder("{");
        foreach ((string field, string variable) in Fields)
        {
            if (format.Length > 1) format.Append(',');
            format.Append(JsonSerializer.Serialize(field, Json.String)).Append(':');
            format.Append(variable == QuotedMessageVariable ? variable : JsonSerializer.Serialize(variable, Json.String));
        }
        return format.Append('}').ToString();
    }

    /// <summary>A line with the given values; fields without a value are written as "-" like API Gateway does.</summary>
    public static string Line(IReadOnlyDictionary<string, string?> values) =>
        JsonSerializer.Serialize(Fields.ToDictionary(f => f.Field, f => values.GetValueOrDefault(f.Field) ?? "-"), Json.DictionaryStringString);
}
