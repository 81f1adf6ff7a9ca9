using ItemsApi.DeployTime.Operations;
using ItemsApi.DeployTime.Settings;
using Pulumi;
using Pulumi.Aws.CloudWatch;
using Pulumi.Aws.CloudWatch.Inputs;
using Pulumi.Aws.Sns;

namespace ItemsApi.Infra.Components;

/// <summary>
/// <c>monitoring: true</c>: the stage's alarms (<see cref="StageAlarms"/>) notifying an SNS topic, with an
/// optional e-mail subscription, the metric filter that counts 429s from the access log, and a dashboard.
/// Every name starts with {project}-{stage}, so several stages share an account.
/// </summary>
public sealed class StageMonitoring : ComponentResource
{
    public StageMonitoring(string name, StageSettings settings, string namePrefix, Output<StageNames> names, ComponentResourceOptions? options = null)
        : base("items-api:operations:StageMonitoring", name, options)
    {
        var child = new CustomResourceOptions { Parent = this };

        Topic = new Topic($"{name}-alarms", new TopicArgs { Name = $"{namePrefix}-alarms", Tags = StageTags.For(settings) }, child);
        if (settings.AlarmEmail is { } email)
            new TopicSubscription($"{name}-alarm-email", new TopicSubscriptionArgs { Topic = Topic.Arn, Protocol = "email", Endpoint = email }, child);

        // The alarm reads the filter's metric, so it waits for the filter.
        var dependsOn = new List<Resource>();
        if (settings.HasAccessLog)
        {
            AccessLogMetric throttled = AccessLogMetric.Throttled(settings.MonitoringScope);
            dependsOn.Add(new LogMetricFilter($"{name}-{throttled.FilterName}", new LogMetricFilterArgs
            {
                Name = $"{namePrefix}-{throttled.FilterName}",
                LogGroupName = names.Apply(n => n.AccessLogGroup!),
                Pattern = throttled.FilterPattern,
                MetricTransformation = new LogMetricFilterMetricTransformationArgs
                {
                    Namespace = throttled.Metric.Namespace,
                    Name = throttled.Metric.MetricName,
                    Value = "1",
                    DefaultValue = "0",
                    Unit = "Count",
                },
            }, child));
        }

        IReadOnlyList<StageAlarm> alarms = StageAlarms.For(settings);
        foreach (StageAlarm alarm in alarms)
            Alarms.Add(new MetricAlarm($"{name}-{alarm.Key}", AlarmArgs(alarm, $"{namePrefix}-{alarm.Key}", names, settings),
                new CustomResourceOptions { Parent = this, DependsOn = dependsOn }));

        string dashboardName = namePrefix;
        var dashboard = new Dashboard($"{name}-dashboard", new DashboardArgs
        {
            DashboardName = dashboardName,
            DashboardBody = names.Apply(n => StageDashboard.Body(settings, alarms, n)),
        }, child);
        DashboardUrl = Output.Tuple(names, dashboard.DashboardName).Apply(t => StageDashboard.Url(t.Item1.Region, t.Item2));

        RegisterOutputs(new Dictionary<string, object?> { ["dashboardUrl"] = DashboardUrl, ["alarmTopicArn"] = Topic.Arn });
    }

    public Topic Topic { get; }
    public List<MetricAlarm> Alarms { get; } = [];
    public Output<string> DashboardUrl { get; }

    private MetricAlarmArgs AlarmArgs(StageAlarm alarm, string alarmName, Output<StageNames> names, StageSettings settings)
    {
        var args = new MetricAlarmArgs
        {
            Name = alarmName,
            Tags = StageTags.For(settings),
            AlarmDescription = alarm.Description,
            ComparisonOperator = alarm.ComparisonOperator,
            Threshold = alarm.Threshold,
            EvaluationPeriods = alarm.EvaluationPeriods,
            DatapointsToAlarm = alarm.DatapointsToAlarm,
            TreatMissingData = alarm.TreatMissingData,
            // Notified when it fires and when it recovers.
            AlarmActions = { Topic.Arn },
            OkActions = { Topic.Arn },
        };
        if (alarm.Expression is null)
        {
            AlarmMetric metric = alarm.Metrics[0];
            args.Namespace = metric.Namespace;
            args.MetricName = metric.MetricName;
            args.Period = alarm.PeriodSeconds;
            args.Dimensions = Dimensions(metric, names);
            if (alarm.IsPercentile) args.ExtendedStatistic = alarm.Statistic;
            else args.Statistic = alarm.Statistic;
            return args;
        }

        // Several metrics: the alarm watches their sum (metric math), and only the sum returns data.
        for (int i = 0; i < alarm.Metrics.Count; i++)
        {
            AlarmMetric metric = alarm.Metrics[i];
            args.MetricQueries.Add(new MetricAlarmMetricQueryArgs
            {
                Id = StageAlarm.MetricId(i),
                ReturnData = false,
                Metric = new MetricAlarmMetricQueryMetricArgs
                {
                    Namespace = metric.Namespace,
                    MetricName = metric.MetricName,
                    Period = alarm.PeriodSeconds,
                    Stat = alarm.Statistic,
                    Dimensions = Dimensions(metric, names),
                },
            });
        }
        args.MetricQueries.Add(new MetricAlarmMetricQueryArgs { Id = "total", Expression = alarm.Expression, Label = alarm.Key, ReturnData = true });
        return args;
    }

    private static InputMap<string> Dimensions(AlarmMetric metric, Output<StageNames> names)
    {
        var dimensions = new InputMap<string>();
        foreach (MetricDimension dimension in metric.Dimensions)
            dimensions.Add(dimension.Name, names.Apply(dimension.Value));
        return dimensions;
    }
}
