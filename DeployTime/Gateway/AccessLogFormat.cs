using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Gateway;

/// <summary>
/// The stage's access-log line: one JSON object per request. The stack renders it with API Gateway
/// <c>$context</c> variables; the local gateway writes the same fields from its own request context, through
/// <see cref="Line"/>, which refuses a line that leaves a field out. The saved Logs Insights queries and the
/// dashboard read these field names (<see cref="Operations.SavedQueries"/>).
/// </summary>
public static class AccessLogFormat
{
    public const string RequestId = "requestId";
    public const string ExtendedRequestId = "extendedRequestId";
    public const string Ip = "ip";
    public const string RequestTime = "requestTime";
    public const string HttpMethod = "httpMethod";
    public const string ResourcePath = "resourcePath";
    public const string Status = "status";
    public const string Protocol = "protocol";
    public const string ResponseLength = "responseLength";
    public const string ResponseLatency = "responseLatency";
    public const string IntegrationLatency = "integrationLatency";
    public const string IntegrationStatus = "integrationStatus";
    public const string ErrorMessage = "errorMessage";
    public const string ErrorResponseType = "errorResponseType";
    public const string AuthorizerError = "authorizerError";
    public const string AuthorizerRequestId = "authorizerRequestId";
    public const string IntegrationErrorMessage = "integrationErrorMessage";
    public const string ApiKeyId = "apiKeyId";
    public const string XrayTraceId = "xrayTraceId";

    /// <summary>
    /// Field name in the log line → the API Gateway context variable that fills it. Most variables are
    /// written inside quotes; <c>$context.error.messageString</c> already is a quoted, JSON-escaped string
    /// (a message with a quote in it would break a hand-quoted <c>$context.error.message</c>).
    /// </summary>
    public static IReadOnlyList<(string Field, string ContextVariable)> Fields { get; } =
    [
        (RequestId, "$context.requestId"),
        (ExtendedRequestId, "$context.extendedRequestId"),
        (Ip, "$context.identity.sourceIp"),
        (RequestTime, "$context.requestTime"),
        (HttpMethod, "$context.httpMethod"),
        (ResourcePath, "$context.resourcePath"),
        (Status, "$context.status"),
        (Protocol, "$context.protocol"),
        (ResponseLength, "$context.responseLength"),
        (ResponseLatency, "$context.responseLatency"),
        (IntegrationLatency, "$context.integration.latency"),
        (IntegrationStatus, "$context.integration.status"),
        (ErrorMessage, QuotedMessageVariable),
        (ErrorResponseType, "$context.error.responseType"),
        (AuthorizerError, "$context.authorizer.error"),
        // Lambda's request id of the authorizer's invocation: joins a 401 to the authorizer's one-line denial.
        (AuthorizerRequestId, "$context.authorizer.requestId"),
        (IntegrationErrorMessage, "$context.integrationErrorMessage"),
        (ApiKeyId, "$context.identity.apiKeyId"),
        (XrayTraceId, "$context.xrayTraceId"),
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

    /// <summary>
    /// A line with a value for every field of <see cref="Fields"/>, in their order; a null value is written as "-", as API
    /// Gateway writes a variable that has none.
    /// </summary>
    /// <exception cref="ArgumentException">A field has no entry, or an entry names no field: a writer that leaves one out
    /// fails on its first line rather than writing "-" for it forever.</exception>
    public static string Line(IReadOnlyDictionary<string, string?> values)
    {
        string[] missing = Fields.Select(f => f.Field).Where(field => !values.ContainsKey(field)).ToArray();
        string[] unknown = values.Keys.Where(key => !Fields.Any(f => f.Field == key)).ToArray();
        if (missing.Length > 0 || unknown.Length > 0)
            throw new ArgumentException($"An access-log line has every field of the format and no other: missing {Names(missing)}, unknown {Names(unknown)}.", nameof(values));
        return JsonSerializer.Serialize(Fields.ToDictionary(f => f.Field, f => values[f.Field] ?? "-"), Json.DictionaryStringString);
    }

    private static string Names(string[] fields) => fields.Length == 0 ? "none" : string.Join(", ", fields);
}
