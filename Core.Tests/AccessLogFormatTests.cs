using System.Text.Json;
using System.Text.RegularExpressions;
using ItemsApi.Core.Settings;

namespace ItemsApi.Core.Tests;

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

        string line = AccessLogFormat.Line(new Dictionary<string, string?>
        {
            [AccessLogFormat.RequestId] = "abc",
            ["requestTime"] = "01/Jan/2025:00:00:00 +0000",
            [AccessLogFormat.ErrorMessage] = """Invalid "x" isn't <ok> & \ é""",
        });
        Assert.StartsWith("""{"requestId":"abc","extendedRequestId":"-","ip":"-","requestTime":"01/Jan/2025:00:00:00 +0000",""", line);
        Assert.Contains(""","errorMessage":"Invalid \"x\" isn't <ok> & \\ é",""", line);
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
