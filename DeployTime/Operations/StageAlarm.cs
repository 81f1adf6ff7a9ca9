namespace ItemsApi.DeployTime.Operations;

/// <summary>
/// One CloudWatch alarm of a stage. With one metric it alarms on that metric's <see cref="Statistic"/>;
/// with several, on metric math over them (<see cref="Expression"/>): their sum, as for DynamoDB's per-operation
/// metrics, unless the alarm says otherwise (the 429 rate: throttled over all requests).
/// </summary>
public sealed record StageAlarm
{
    /// <summary>Short, stable key: the alarm is named {project}-{stage}-{key}.</summary>
    public required string Key { get; init; }
    /// <summary>What a breach means and what to look at first; shown in the notification.</summary>
    public required string Description { get; init; }
    public required IReadOnlyList<AlarmMetric> Metrics { get; init; }
    /// <summary>Average, Sum, Maximum, or a percentile such as p99.</summary>
    public required string Statistic { get; init; }
    /// <summary>In the metric's unit: a fraction for Average of a 0/1 metric (1% = 0.01), milliseconds, a count.</summary>
    public required double Threshold { get; init; }
    public required string ComparisonOperator { get; init; }
    /// <summary>No data means no requests (or no errors reported): not a breach.</summary>
    public string TreatMissingData { get; init; } = "notBreaching";
    public required int PeriodSeconds { get; init; }
    public required int EvaluationPeriods { get; init; }
    public required int DatapointsToAlarm { get; init; }

    public bool IsPercentile => Statistic.StartsWith('p');

    private readonly string? _expression;

    /// <summary>Metric math over the metrics' ids (m1, m2, ...): none with one metric; by default the sum of several.</summary>
    public string? Expression
    {
        get => _expression ?? (Metrics.Count == 1 ? null : string.Join("+", Metrics.Select((_, i) => $"FILL({MetricId(i)},0)")));
        init => _expression = value;
    }

    public static string MetricId(int index) => $"m{index + 1}";
}
