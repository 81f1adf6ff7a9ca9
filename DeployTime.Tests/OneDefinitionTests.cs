using System.Text.RegularExpressions;
using ItemsApi.DeployTime.CommandLine;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.DeployTime.Project;
using ItemsApi.DeployTime.Settings;
using ItemsApi.TestKit;

namespace ItemsApi.DeployTime.Tests;

/// <summary>
/// Each fact of the contract has one definition that every part reads (issue 25, section 2). These tests read the
/// files that used to hold a second copy and fail if one comes back; the behaviour each definition drives is tested
/// where it is used (LocalGateway.Tests, Verify.Tests, Infra.Tests).
/// </summary>
public sealed class OneDefinitionTests
{
    /// <summary>The C# files under a folder of the repository, build output left out.</summary>
    private static IReadOnlyList<string> SourceFiles(params string[] folders) => folders
        .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, folder), "*.cs", SearchOption.AllDirectories))
        .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
        .Order().ToArray();

    private static IReadOnlyList<string> Files(params string[] paths) => paths.Select(p => Path.Combine(RepositoryRoot.Path, p)).ToArray();

    /// <summary>Each place in <paramref name="files"/> where <paramref name="pattern"/> matches, as "file:line: text".</summary>
    private static List<string> Copies(IReadOnlyList<string> files, string pattern)
    {
        Assert.NotEmpty(files);
        var regex = new Regex(pattern);
        return files.SelectMany(file => File.ReadLines(file).Select((line, i) => (line, i))
                .Where(l => regex.IsMatch(l.line))
                .Select(l => $"{Path.GetRelativePath(RepositoryRoot.Path, file)}:{l.i + 1}: {l.line.Trim()}"))
            .ToList();
    }

    /// <summary>Lists every copy found, file and line, when there is one.</summary>
    private static void AssertNone(List<string> copies) => Assert.True(copies.Count == 0, "a second copy:\n" + string.Join("\n", copies));

    /// <summary>The text as a C# string literal's content would hold it, quotes included.</summary>
    private static string Quoted(string text) => Regex.Escape($"\"{text}\"");

    [Fact]
    public void The_gateways_own_answers_are_written_only_in_GatewayAnswer()
    {
        // Where they were written by hand: the local gateway's switch, verify, the stack's gateway responses and WAF
        // ceiling, and the checks' and the policy's comments.
        IReadOnlyList<string> files = [.. SourceFiles("LocalGateway", "Verify", "Infra"),
            .. Files("DeployTime/Gateway/GatewayCheck.cs", "DeployTime/Gateway/GatewayPolicy.cs", "DeployTime/Gateway/ApiDefinition.cs")];
        string pattern = string.Join("|", GatewayAnswer.All.SelectMany(a => new[] { Quoted(a.Message), Quoted(a.ResponseType), Regex.Escape(a.Body) })
            .Append(Quoted(GatewayAnswer.Default4xx)).Distinct());
        AssertNone(Copies(files, pattern));
        // The statuses the policy gave each route by hand.
        AssertNone(Copies(Files("DeployTime/Gateway/GatewayPolicy.cs"), @"\{ *40\d, *429"));
        AssertNone(Copies(SourceFiles("Verify"), @"(==|!=|\(|, ) *40[13]\b"));
    }

    [Fact]
    public void Stack_output_names_are_written_only_in_StackOutputNames()
    {
        string Pattern(IEnumerable<string> names) => string.Join("|", names.Select(Quoted));
        AssertNone(Copies(Files("Infra/ItemsApiStack.cs", "Verify/StackOutputs.cs", "Verify/GatewayChecks.cs"), Pattern(StackOutputNames.All)));
        // The command line's --url option shows "url" as its value's name; only the outputs' names are the stack's.
        AssertNone(Copies(Files("Verify/CliArguments.cs"), Pattern(StackOutputNames.All.Except([StackOutputNames.Url]))));
        Assert.Equal(StackOutputNames.All.Count, StackOutputNames.All.Distinct().Count());
    }

    [Fact]
    public void Access_log_field_names_are_written_only_in_AccessLogFormat()
    {
        string pattern = string.Join("|", AccessLogFormat.Fields.Select(f => Quoted(f.Field)));
        AssertNone(Copies(SourceFiles("LocalGateway"), pattern));
        Assert.Single(Copies(Files("DeployTime/Gateway/AccessLogFormat.cs"), Quoted(AccessLogFormat.AuthorizerRequestId)));
    }

    [Fact]
    public void The_api_keys_length_rule_is_written_only_in_ApiKeyRule()
    {
        AssertNone(Copies([.. Files("DeployTime/Settings/ConfigKeys.cs", "DeployTime/CommandLine/SharedOption.cs"), .. SourceFiles("LocalGateway", "Verify")],
            @"20 to 128|>= *20\b|<= *128\b"));

        // And every reader applies it alike, at its edges.
        foreach (int length in new[] { ApiKeyRule.MinLength - 1, ApiKeyRule.MinLength, ApiKeyRule.MaxLength, ApiKeyRule.MaxLength + 1 })
        {
            string key = new('k', length);
            bool allowed = length is >= 20 and <= 128;
            Assert.Equal(allowed, ConfigKeys.ApiKeyValue.TryParse(key, out _));
            Assert.Equal(allowed, ConfigKeys.NextApiKeyValue.TryParse(key, out _));
            Assert.Equal(allowed, SharedOption.ApiKey.Check!(key) is null);
        }
        Assert.Contains("20 to 128 characters", ConfigKeys.ApiKeyValue.Description);
        Assert.Contains("20 to 128 characters", SharedOption.ApiKey.Description);
    }

    [Fact]
    public void The_integration_ceiling_is_written_only_in_ApiDefinition()
    {
        AssertNone(Copies([.. Files("DeployTime/Settings/ConfigKeys.cs"), .. SourceFiles("Infra")], @"\b29\b|29_?000"));

        int ceilingSeconds = ApiDefinition.IntegrationTimeoutMilliseconds / 1000;
        string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(ConfigKeys.LambdaTimeoutSeconds.TryParse(Text(ceilingSeconds - 1), out _));
        Assert.False(ConfigKeys.LambdaTimeoutSeconds.TryParse(Text(ceilingSeconds), out _));
        Assert.Contains($"below API Gateway's {ceilingSeconds} s integration timeout", ConfigKeys.LambdaTimeoutSeconds.Description);
        Assert.True(ConfigKeys.AlarmLatencyP99Ms.TryParse(Text(ApiDefinition.IntegrationTimeoutMilliseconds), out _));
        Assert.False(ConfigKeys.AlarmLatencyP99Ms.TryParse(Text(ApiDefinition.IntegrationTimeoutMilliseconds + 1), out _));
    }

    [Fact]
    public void The_authorizers_name_is_written_only_in_AuthorizerPolicy() =>
        AssertNone(Copies(SourceFiles("Infra"), Quoted(AuthorizerPolicy.BearerTokenName)));

    [Fact]
    public void No_setting_counts_the_apis_methods_which_change_with_the_route_table() =>
        Assert.All(ConfigKeys.All, setting => Assert.DoesNotMatch(@"\b\d+ methods\b", setting.Description));

    [Fact]
    public void The_stack_declares_the_throttles_and_quota_from_the_gateway_policy_not_the_settings() =>
        AssertNone(Copies(Files("Infra/Components/RestApiResources.cs", "Infra/Components/ApiKeyAccess.cs", "Infra/Components/RestApiComponent.cs"),
            @"settings\.(UsagePlan(Rate|Burst)Limit|StageThrottle(Rate|Burst)Limit|QuotaLimit|QuotaPeriod)"));
}
