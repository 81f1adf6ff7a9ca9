namespace ItemsApi.DeployTime.Settings;

/// <summary>The alarm* config keys, read together (see <see cref="ConfigKeys"/> for what each means).</summary>
public sealed record AlarmThresholds
{
    public required int PeriodSeconds { get; init; }
    public required int EvaluationPeriods { get; init; }
    public required int DatapointsToAlarm { get; init; }
    public required double Api5xxPercent { get; init; }
    public required double Api4xxPercent { get; init; }
    public required double Throttled429Percent { get; init; }
    public required int LatencyP99Ms { get; init; }
    public required int FunctionErrors { get; init; }
    public required int FunctionThrottles { get; init; }
    public required int ConcurrencyPercent { get; init; }
    public required int AccountConcurrencyLimit { get; init; }
    public required int TableThrottles { get; init; }
    public required int TableSystemErrors { get; init; }
    /// <summary>0: no alarm on the WAF ceiling's blocks.</summary>
    public required int WafBlocked { get; init; }
}
