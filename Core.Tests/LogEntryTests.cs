using System.Reflection;
using ItemsApi.Core.Http;

namespace ItemsApi.Core.Tests;

/// <summary>
/// The function's log lines as message templates: Lambda's JSON log format makes each hole a top-level field,
/// so the holes are checked here as field names (Functions.Tests runs them through the real runtime).
/// </summary>
public sealed class LogEntryTests
{
    /// <summary>What the runtime writes itself on a JSON line; a hole with one of these names would repeat it.</summary>
    private static readonly string[] RuntimeFields =
        ["timestamp", "level", "requestId", "traceId", "tenantId", "message", "errorType", "errorMessage", "stackTrace"];

    public static TheoryData<string> Templates() =>
        [.. typeof(LogEntry).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!)];

    [Theory]
    [MemberData(nameof(Templates))]
    public void Every_hole_is_a_distinct_camel_case_field_the_runtime_does_not_write_itself(string template)
    {
        IReadOnlyList<string> names = LogEntry.Names(template);
        Assert.NotEmpty(names);
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, name => Assert.Matches("^[a-z][A-Za-z]*$", name));
        Assert.Empty(names.Intersect(RuntimeFields));
    }

    [Fact]
    public void Each_entry_has_one_value_per_hole()
    {
        LogEntry[] entries =
        [
            LogEntry.Request("GET", "/items", 200, TimeSpan.Zero, "gw"),
            LogEntry.RequestFailed(new ApiRequest { Method = "GET", Path = "/items" }, new IOException()),
            LogEntry.PrimeFailed(new IOException()),
        ];
        Assert.All(entries, entry => Assert.Equal(LogEntry.Names(entry.Template).Count, entry.Values.Length));
    }

    [Fact]
    public void The_request_line_names_api_gateways_request_id_and_rounds_the_latency()
    {
        LogEntry entry = LogEntry.Request("GET", "/items/{id}", 404, TimeSpan.FromTicks(12_345_678), "c0ffee-1");

        Assert.Equal(["method", "resource", "status", "latencyMs", "apiGatewayRequestId"], LogEntry.Names(entry.Template));
        Assert.Equal(["GET", "/items/{id}", 404, 1234.57, "c0ffee-1"], entry.Values);
        // Braces inside a value are text, not holes.
        Assert.Equal("GET /items/{id} answered 404 in 1234.57 ms, API Gateway request c0ffee-1", entry.Render());
    }

    [Fact]
    public void A_failed_request_names_the_request_the_error_and_its_detail()
    {
        var request = new ApiRequest { Method = "PUT", Path = "/items/01J", RequestId = "c0ffee-2" };
        LogEntry entry = LogEntry.RequestFailed(request, new InvalidOperationException("table gone"));

        Assert.Equal(["method", "path", "error", "detail", "apiGatewayRequestId"], LogEntry.Names(entry.Template));
        Assert.Equal("PUT /items/01J failed with System.InvalidOperationException: table gone, API Gateway request c0ffee-2", entry.Render());
    }
}
