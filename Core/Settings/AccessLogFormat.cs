using System.Text.Encodings.Web;
using System.Text.Json;

namespace ItemsApi.Core.Settings;

/// <summary>
/// The stage's access-log line: one JSON object per request. The stack renders it with API Gateway
/// <c>$context</c> variables; the local gateway writes the same fields from its own request context.
/// </summary>
public static class AccessLogFormat
{
    /// <summary>Field name in the log line → the API Gateway context variable that fills it.</summary>
    public static IReadOnlyList<(string Field, string ContextVariable)> Fields { get; } =
    [
        ("requestId", "$context.requestId"),
        ("ip", "$context.identity.sourceIp"),
        ("requestTime", "$context.requestTime"),
        ("httpMethod", "$context.httpMethod"),
        ("resourcePath", "$context.resourcePath"),
        ("status", "$context.status"),
        ("protocol", "$context.protocol"),
        ("responseLength", "$context.responseLength"),
        ("errorMessage", "$context.error.message"),
        ("errorResponseType", "$context.error.responseType"),
        ("authorizerError", "$context.authorizer.error"),
        ("integrationErrorMessage", "$context.integrationErrorMessage"),
        ("apiKeyId", "$context.identity.apiKeyId"),
    ];

    // Readable output: '+' in "+0000" stays '+', not \u002B.
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The format string for the stage's access log settings (one line of JSON).</summary>
    public static string ApiGatewayFormat { get; } =
        JsonSerializer.Serialize(Fields.ToDictionary(f => f.Field, f => f.ContextVariable), Options);

    /// <summary>A line with the given values; fields without a value are written as "-" like API Gateway does.</summary>
    public static string Line(IReadOnlyDictionary<string, string?> values) =>
        JsonSerializer.Serialize(Fields.ToDictionary(f => f.Field, f => values.GetValueOrDefault(f.Field) ?? "-"), Options);
}
