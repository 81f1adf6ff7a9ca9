using System.Text.Json;
using ItemsApi.DeployTime.Gateway;

namespace ItemsApi.TestKit;

/// <summary>
/// Reads the local stage's access log: one JSON object a line. The fields must be <see cref="AccessLogFormat.Fields"/>, in
/// their order and no other, so a test never reads a field the stage does not write.
/// </summary>
public static class AccessLogLines
{
    public static IReadOnlyList<JsonElement> Parse(string log) =>
        log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ParseLine).ToList();

    private static JsonElement ParseLine(string line)
    {
        JsonElement fields = JsonDocument.Parse(line).RootElement.Clone();
        string[] names = fields.EnumerateObject().Select(field => field.Name).ToArray();
        if (!names.SequenceEqual(AccessLogFormat.Fields.Select(f => f.Field)))
            throw new FormatException($"An access-log line's fields are not the format's ({string.Join(", ", AccessLogFormat.Fields.Select(f => f.Field))}): {line}");
        return fields;
    }
}
