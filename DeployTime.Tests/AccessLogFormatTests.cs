using System.Text.Json;
using System.Text.RegularExpressions;
using ItemsApi.DeployTime.Settings;
using ItemsApi.DeployTime.Gateway;

namespace ItemsApi.DeployTime.Tests;

/// <summary>The access-log format string as API Gateway renders it: each $context variable replaced by its value.</summary>
public class AccessLogFormatTests
{
    // API Gateway substitutes variables as plain text. $context.error.messageString is the quoted, escaped
    // message ("$context.error.message"); every other variable sits inside quotes we wrote.
    private static string Render(string format, Func<string, string> value) =>
        Regex.Replace(format, @"\$context(\.[A-Za-z]+)+", match => value(match.Value));

    [Fact]
    public void The_format_renders_one_JSON_object_with_every_field_even_when_the_message_has_quotes()
    {
        string line = Render(AccessLogFormat.ApiGatewayFormat, variable => variable == AccessLogFormat.QuotedMessageVariable
            ? JsonSerializer.Serialize("Invalid \"x\" header")
            : "v");

        using JsonDocument document = JsonDocument.Parse(line);
        Assert.Equal(AccessLogFormat.Fields.Select(f => f.Field), document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Invalid \"x\" header", document.RootElement.GetProperty(AccessLogFormat.ErrorMessage).GetString());
    }

    [Fact]
    public void Each_field_is_filled_by_its_own_context_variable()
    {
        string line = Render(AccessLogFormat.ApiGatewayFormat, variable => variable == AccessLogFormat.QuotedMessageVariable
            ? JsonSerializer.Serialize(variable)
            : variable);

        using JsonDocument document = JsonDocument.Parse(line);
        foreach ((string field, string variable) in AccessLogFormat.Fields)
            Assert.Equal(variable, document.RootElement.GetProperty(field).GetString());
    }

    // The exact text: compact, '+', apostrophes and '<' left readable, only quotes and backslashes escaped.
    [Fact]
    public void The_format_and_the_lines_are_compact_readable_JSON()
    {
        Assert.StartsWith("""{"requestId":"$context.requestId","extendedRequestId":"$context.extendedRequestId",""", AccessLogFormat.ApiGatewayFormat);
        Assert.Contains(""","errorMessage":$context.error.messageString,""", AccessLogFormat.ApiGatewayFormat);

        Dictionary<string, string?> values = AccessLogFormat.Fields.ToDictionary(f => f.Field, _ => (string?)null);
        values[AccessLogFormat.RequestId] = "abc";
        values[AccessLogFormat.RequestTime] = "01/Jan/2025:00:00:00 +0000";
        values[AccessLogFormat.ErrorMessage] = """Invalid "x" isn't <ok> & \ é""";
        string line = AccessLogFormat.Line(values);
        Assert.StartsWith("""{"requestId":"abc","extendedRequestId":"-","ip":"-","requestTime":"01/Jan/2025:00:00:00 +0000",""", line);
        Assert.Contains(""","errorMessage":"Invalid \"x\" isn't <ok> & \\ é",""", line);
    }

    [Fact]
    public void A_line_without_a_value_for_every_field_or_with_an_unknown_one_is_refused_not_padded_with_dashes()
    {
        Dictionary<string, string?> All() => AccessLogFormat.Fields.ToDictionary(f => f.Field, _ => (string?)"v");
        Dictionary<string, string?> withoutOne = All();
        withoutOne.Remove(AccessLogFormat.AuthorizerRequestId);
        Assert.Equal("An access-log line has every field of the format and no other: missing authorizerRequestId, unknown none. (Parameter 'values')",
            Assert.Throws<ArgumentException>(() => AccessLogFormat.Line(withoutOne)).Message);
        Dictionary<string, string?> withAnother = All();
        withAnother["statusCode"] = "200";
        Assert.Contains("missing none, unknown statusCode.", Assert.Throws<ArgumentException>(() => AccessLogFormat.Line(withAnother)).Message);
        Assert.Equal(AccessLogFormat.Fields.Count, JsonDocument.Parse(AccessLogFormat.Line(All())).RootElement.EnumerateObject().Count());
    }

    /// <summary>
    /// The variables API Gateway documents for REST API access logging that the line uses
    /// ("Variables for access logging for API Gateway" in the API Gateway developer guide). A misspelt variable is not
    /// refused by API Gateway: it is logged as text or as "-", and the field is silently useless.
    /// </summary>
    private static readonly string[] DocumentedVariables =
    [
        "$context.requestId", "$context.extendedRequestId", "$context.identity.sourceIp", "$context.requestTime",
        "$context.httpMethod", "$context.resourcePath", "$context.status", "$context.protocol", "$context.responseLength",
        "$context.responseLatency", "$context.integration.latency", "$context.integration.status",
        "$context.error.messageString", "$context.error.responseType", "$context.authorizer.error",
        "$context.authorizer.requestId", "$context.integrationErrorMessage", "$context.identity.apiKeyId", "$context.xrayTraceId",
    ];

    [Fact]
    public void Every_field_has_its_own_queryable_name_and_its_own_documented_variable()
    {
        // Logs Insights discovers the fields of a JSON line by name; a plain name needs no backticks in a query.
        Assert.All(AccessLogFormat.Fields, f => Assert.Matches("^[a-z][A-Za-z]*$", f.Field));
        Assert.Equal(AccessLogFormat.Fields.Count, AccessLogFormat.Fields.Select(f => f.Field).Distinct().Count());
        Assert.Equal(AccessLogFormat.Fields.Count, AccessLogFormat.Fields.Select(f => f.ContextVariable).Distinct().Count());
        Assert.All(AccessLogFormat.Fields, f => Assert.Contains(f.ContextVariable, DocumentedVariables));
        Assert.Equal(DocumentedVariables.Length, AccessLogFormat.Fields.Count);
    }

    [Theory]
    [InlineData("responseLatency", "$context.responseLatency")]
    [InlineData("integrationLatency", "$context.integration.latency")]
    [InlineData("integrationStatus", "$context.integration.status")]
    [InlineData("extendedRequestId", "$context.extendedRequestId")]
    [InlineData("xrayTraceId", "$context.xrayTraceId")]
    [InlineData("errorMessage", "$context.error.messageString")]
    public void The_fields_that_diagnose_a_5xx_are_logged(string field, string variable) =>
        Assert.Contains((field, variable), AccessLogFormat.Fields);
}
