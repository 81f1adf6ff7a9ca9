using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ItemsApi.Verify;

/// <summary>The report for people (one line per check, then a summary) and for machines (--json).</summary>
internal static class ReportWriter
{
    /// <summary><c>PASS name</c>, <c>SKIP name: why</c>, or <c>FAIL name: why</c> followed by the request and response, indented.</summary>
    public static void WriteCheck(TextWriter output, CheckResult check)
    {
        switch (check.Status)
        {
            case CheckStatus.Pass:
                output.WriteLine($"PASS {check.Name}");
                break;
            case CheckStatus.Skip:
                output.WriteLine($"SKIP {check.Name}: {check.Detail}");
                break;
            default:
                string[] lines = check.Detail.Split('\n');
                output.WriteLine($"FAIL {check.Name}: {lines[0]}");
                foreach (string line in lines.Skip(1)) output.WriteLine($"     {line}");
                break;
        }
        output.Flush();
    }

    public static void WriteSummary(TextWriter output, ContractReport report) => output.WriteLine(
        $"{(report.Passed ? "PASSED" : "FAILED")}: {report.Count(CheckStatus.Pass)} passed, {report.Count(CheckStatus.Fail)} failed, " +
        $"{report.Count(CheckStatus.Skip)} skipped; {report.RequestsSent} requests in {Seconds(report.Duration)} s " +
        $"to {report.ItemsUrl} (authMode {report.AuthMode})");

    public static void WriteJson(TextWriter output, ContractReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("url", report.ItemsUrl);
            json.WriteString("authMode", report.AuthMode);
            json.WriteBoolean("passed", report.Passed);
            json.WriteNumber("requestsSent", report.RequestsSent);
            json.WriteNumber("durationSeconds", Math.Round(report.Duration.TotalSeconds, 3));
            json.WriteStartArray("checks");
            foreach (CheckResult check in report.Checks)
            {
                json.WriteStartObject();
                json.WriteString("name", check.Name);
                // A skipped check neither passed nor failed: null, so a filter on `passed == false` finds exactly the failures.
                if (check.Status == CheckStatus.Skip) json.WriteNull("passed");
                else json.WriteBoolean("passed", check.Passed);
                json.WriteString("status", check.Status.ToString().ToLowerInvariant());
                json.WriteString("detail", check.Detail);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
}
