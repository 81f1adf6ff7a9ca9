using System.Text.RegularExpressions;
using ItemsApi.DeployTime.Operations;
using ItemsApi.DeployTime.Project;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Tests;

/// <summary>
/// What clients get when reservedConcurrency is reached. Lambda refuses the invocation (429 TooManyRequestsException to
/// API Gateway), and "if the Lambda API rejects the invocation request, API Gateway returns a 500 error code" (Lambda
/// Developer Guide, "Handling Lambda errors with an API Gateway API"): clients get 500, not 429, the 5xx alarm sees it and
/// the 429 alarm never does. So neither the key's description nor the README may promise 429s, and the alarm that does see
/// it, Lambda's Throttles metric, is on with monitoring.
/// </summary>
public sealed class ReservedConcurrencyContractTests
{
    [Fact]
    public void The_reserved_concurrency_description_says_clients_get_500_not_429()
    {
        string description = ConfigKeys.ReservedConcurrency.Description;
        Assert.Contains("500", description);
        Assert.DoesNotMatch(@"get 429|429s instead|answer(s)? 429", description);
    }

    [Fact]
    public void The_readmes_ceiling_section_says_clients_get_500_not_429()
    {
        string readme = File.ReadAllText(ProjectFiles.Readme(ProjectFiles.FindRoot()));
        string bullet = Regex.Match(readme, @"- \*\*`reservedConcurrency: N`\*\*:.*?(?=\n- \*\*)", RegexOptions.Singleline).Value;
        Assert.NotEmpty(bullet);
        Assert.Contains("500", bullet);
        Assert.DoesNotContain("requests get 429", bullet);
        Assert.Contains("Throttles", bullet);
    }

    [Fact]
    public void With_monitoring_an_alarm_watches_the_functions_throttles()
    {
        StageSettings settings = StageSettings.Load(key => key switch { "monitoring" => "true", "reservedConcurrency" => "5", _ => null }, "dev");
        StageAlarm throttles = Assert.Single(StageAlarms.For(settings), a => a.Key == "function-throttles");
        Assert.Equal(("AWS/Lambda", "Throttles"), (throttles.Metrics[0].Namespace, throttles.Metrics[0].MetricName));
        Assert.Contains("500", throttles.Description);
    }
}
