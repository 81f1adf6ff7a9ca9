using System.Text.Json;
using ItemsApi.DeployTime.Gateway;

namespace ItemsApi.LocalGateway.Tests;

/// <summary>The tests' one reader of the access log reads exactly the format's fields.</summary>
public sealed class AccessLogLinesTests
{
    [Fact]
    public void A_line_of_the_formats_fields_is_read_and_a_line_missing_one_is_refused()
    {
        Dictionary<string, string?> values = AccessLogFormat.Fields.ToDictionary(f => f.Field, _ => (string?)"v");
        values[AccessLogFormat.Status] = "201";
        string line = AccessLogFormat.Line(values);

        JsonElement read = Assert.Single(AccessLogLines.Parse(line + "\n" + "\n"));
        Assert.Equal("201", read.GetProperty(AccessLogFormat.Status).GetString());

        using JsonDocument document = JsonDocument.Parse(line);
        string withoutStatus = JsonSerializer.Serialize(document.RootElement.EnumerateObject()
            .Where(field => field.Name != AccessLogFormat.Status).ToDictionary(field => field.Name, field => field.Value.GetString()));
        FormatException refused = Assert.Throws<FormatException>(() => AccessLogLines.Parse(withoutStatus));
        Assert.Contains(withoutStatus, refused.Message);
    }
}
