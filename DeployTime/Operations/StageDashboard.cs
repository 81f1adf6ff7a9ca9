using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Operations;

/// <summary>
/// The stage's CloudWatch dashboard body (its JSON source): request count, one graph per alarm with the
/// alarm's threshold drawn on it, and the access log's errors by route. Widgets are placed by CloudWatch.
/// </summary>
public static class StageDashboard
{
    // Arrays are filled as lists of nodes and wrapped once: JsonArray.Add<T>, which a JsonObject or a string
    // binds to, is not trim- or AOT-safe (the functions publish as Native AOT).
    public static string Body(StageSettings settings, IReadOnlyList<StageAlarm> alarms, StageNames names)
    {
        List<JsonNode> widgets =
        [
            MetricWidget("Requests", names, "Sum", settings.Alarms.PeriodSeconds,
                [new AlarmMetric("AWS/ApiGateway", "Count", [MetricDimension.ApiName, MetricDimension.Stage])], expression: null, threshold: null),
        ];
        foreach (StageAlarm alarm in alarms)
            widgets.Add(MetricWidget(alarm.Description, names, alarm.Statistic, alarm.PeriodSeconds, alarm.Metrics, alarm.Expression, alarm.Threshold, alarm.Key));
        if (names.AccessLogGroup is { } accessLog)
            widgets.Add(LogWidget(SavedQueries.ErrorsByRoute, accessLog, names.Region));
        return new JsonObject { ["widgets"] = new JsonArray([.. widgets]) }.ToJsonString(Readable);
    }

    // The body is JSON inside JSON in the console's editor: keep quotes in queries readable (' not \u0027).
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The console address of the dashboard.</summary>
    public static string Url(string region, string dashboardName) =>
        $"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}#dashboards:name={dashboardName}";

    private static JsonObject MetricWidget(string title, StageNames names, string statistic, int period,
        IReadOnlyList<AlarmMetric> metrics, string? expression, double? threshold, string? label = null)
    {
        var rows = new List<JsonNode>();
        for (int i = 0; i < metrics.Count; i++)
        {
            // A metric row: namespace, name, then dimension name/value pairs, then its options.
            List<JsonNode> row = [metrics[i].Namespace, metrics[i].MetricName];
            foreach ((string dimension, string dimensionValue) in metrics[i].DimensionValues(names)) row.AddRange([dimension, dimensionValue]);
            row.Add(new JsonObject { ["id"] = StageAlarm.MetricId(i), ["stat"] = statistic, ["visible"] = expression is null });
            rows.Add(new JsonArray([.. row]));
        }
        if (expression is not null)
            rows.Add(new JsonArray(new JsonObject { ["expression"] = expression, ["label"] = label ?? title, ["id"] = "total" }));

        var properties = new JsonObject
        {
            ["title"] = Shorten(title),
            ["region"] = names.Region,
            ["view"] = "timeSeries",
            ["stat"] = statistic,
            ["period"] = period,
            ["metrics"] = new JsonArray([.. rows]),
        };
        if (threshold is { } value)
            properties["annotations"] = new JsonObject { ["horizontal"] = new JsonArray(new JsonObject { ["label"] = $"alarm: {label}", ["value"] = value }) };
        return new JsonObject { ["type"] = "metric", ["width"] = 12, ["height"] = 6, ["properties"] = properties };
    }

    private static JsonObject LogWidget(SavedQuery query, string logGroup, string region) => new()
    {
        ["type"] = "log",
        ["width"] = 24,
        ["height"] = 6,
        ["properties"] = new JsonObject
        {
            ["title"] = $"{query.Title} (access log)",
            ["region"] = region,
            ["view"] = "table",
            ["query"] = $"SOURCE '{logGroup}' | {query.Query}",
        },
    };

    /// <summary>Widget titles are one line: the first sentence of the alarm's description.</summary>
    private static string Shorten(string description) => description.Split(". ")[0].TrimEnd('.');
}
