using System.Text.Json;
using System.Text.RegularExpressions;

namespace ItemsApi.DeployTime.Aws;

/// <summary>
/// What the stack's AWS provider is configured with (the <c>aws:</c> config keys of Pulumi.Aws 7, the Terraform AWS
/// provider's arguments): the settings that decide whose credentials it signs with, in which region, against which
/// endpoints. The program's own calls (old version pruning, the reads at preview) act as this identity, not as
/// whatever the SDK's default chain finds (<see cref="ProviderCredentials"/>).
/// </summary>
public sealed partial record ProviderConfig
{
    public required string Region { get; init; }
    public string? Profile { get; init; }
    public string? AccessKey { get; init; }
    public string? SecretKey { get; init; }
    public string? Token { get; init; }
    public IReadOnlyList<string> SharedCredentialsFiles { get; init; } = [];
    public IReadOnlyList<string> SharedConfigFiles { get; init; } = [];
    /// <summary>aws:assumeRoles: each role is assumed with the credentials of the one before (a role chain).</summary>
    public IReadOnlyList<AssumedRole> AssumeRoles { get; init; } = [];
    /// <summary>aws:endpoints: a custom URL per service, by the provider's service key (lambda, apigateway, sts).</summary>
    public IReadOnlyDictionary<string, string> Endpoints { get; init; } = new Dictionary<string, string>();
    /// <summary>The keys this program cannot reproduce (aws:assumeRoleWithWebIdentity, ...): set, its calls are skipped.</summary>
    public IReadOnlyList<string> Unsupported { get; init; } = [];

    /// <summary>One entry of aws:assumeRoles.</summary>
    public sealed record AssumedRole(string RoleArn, string? SessionName, string? ExternalId, int? DurationSeconds, string? Policy, string? SourceIdentity);

    /// <summary>Keys that change the provider's identity or endpoints in ways the program does not reproduce.</summary>
    public static IReadOnlyList<string> UnsupportedKeys { get; } = ["assumeRoleWithWebIdentity", "customCaBundle", "useFipsEndpoint", "useDualstackEndpoint", "stsRegion"];

    /// <summary>
    /// Reads the provider's config as Pulumi passes it (<paramref name="config"/>: the value of an <c>aws:</c> key,
    /// structured values as JSON), with the provider's own fallbacks for region and profile from the environment.
    /// </summary>
    public static ProviderConfig Read(Func<string, string?> config, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string? Text(string key) => config(key) is { Length: > 0 } value ? value : null;
        // The program passes the region the provider reports (getRegion) to AwsApis.ForProvider; this is only its config.
        string region = Text("region") ?? environment("AWS_REGION") ?? environment("AWS_DEFAULT_REGION") ?? "";
        return new ProviderConfig
        {
            Region = region,
            Profile = Text("profile") ?? environment("AWS_PROFILE"),
            AccessKey = Text("accessKey"),
            SecretKey = Text("secretKey"),
            Token = Text("token"),
            SharedCredentialsFiles = Strings(Text("sharedCredentialsFiles")),
            SharedConfigFiles = Strings(Text("sharedConfigFiles")),
            AssumeRoles = Roles(Text("assumeRoles")),
            Endpoints = EndpointUrls(Text("endpoints")),
            Unsupported = UnsupportedKeys.Where(key => Text(key) is { } value && value != "false").ToArray(),
        };
    }

    /// <summary>The URL to call <paramref name="service"/> at: the configured endpoint, else AWS's regional one.</summary>
    public Uri EndpointFor(string service, string dnsSuffix) =>
        Endpoints.TryGetValue(service, out string? custom) ? new Uri(custom.TrimEnd('/') + "/") : new Uri($"https://{service}.{Region}.{dnsSuffix}/");

    private static string[] Strings(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];

    private static AssumedRole[] Roles(string? json)
    {
        if (json is null) return [];
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(role => new AssumedRole(
            Property(role, "roleArn") ?? throw new InvalidOperationException("aws:assumeRoles: an entry has no roleArn"),
            Property(role, "sessionName"), Property(role, "externalId"),
            Property(role, "duration") is { } duration ? DurationSeconds(duration) : null,
            Property(role, "policy"), Property(role, "sourceIdentity"))).ToArray();
    }

    private static Dictionary<string, string> EndpointUrls(string? json)
    {
        var urls = new Dictionary<string, string>(StringComparer.Ordinal);
        if (json is null) return urls;
        using JsonDocument document = JsonDocument.Parse(json);
        // A list of objects, service key → URL (Terraform's endpoints block).
        foreach (JsonElement block in document.RootElement.EnumerateArray())
            foreach (JsonProperty service in block.EnumerateObject())
                if (service.Value.ValueKind == JsonValueKind.String && service.Value.GetString() is { Length: > 0 } url)
                    urls[service.Name] = url;
        return urls;
    }

    private static string? Property(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    /// <summary>The provider's duration: Go's syntax (1h, 15m, 3600s, 1h30m).</summary>
    internal static int DurationSeconds(string duration)
    {
        Match match = GoDuration().Match(duration);
        if (!match.Success) throw new InvalidOperationException($"aws:assumeRoles: duration '{duration}' is not a duration such as 1h or 15m");
        double seconds = 0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            Match piece = DurationPart().Match(part.Value);
            double value = double.Parse(piece.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            seconds += piece.Groups[2].Value switch { "h" => value * 3600, "m" => value * 60, "s" => value, "ms" => value / 1000, _ => 0 };
        }
        return (int)seconds;
    }

    [GeneratedRegex(@"^(?<part>[0-9.]+(h|ms|m|s))+$")]
    private static partial Regex GoDuration();

    [GeneratedRegex(@"^([0-9.]+)(h|ms|m|s)$")]
    private static partial Regex DurationPart();
}
