using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;

namespace ItemsApi.DeployTime.VersionRetention;

/// <summary>
/// The three calls of Lambda's REST API (version 2015-03-31) that <see cref="PublishedVersionRetention"/> needs:
/// ListVersionsByFunction, ListAliases and DeleteFunction with a version qualifier, signed with SigV4 by AWSSDK.Core.
/// Plain HTTP because the Lambda client package is one dependency more for three documented calls.
/// </summary>
public sealed class LambdaFunctionVersions(HttpClient http) : IFunctionVersions
{
    private const string ApiVersion = "2015-03-31";

    /// <summary>A client for <paramref name="region"/> with the deployer's credentials: the profile the AWS provider uses if one is set, else the SDK's default chain.</summary>
    public static LambdaFunctionVersions For(string region, string? profile) => For(region, DeployerCredentials(profile), new HttpClientHandler());

    /// <summary>
    /// The named profile from the shared config or credentials file (or from <paramref name="profiles"/>), or the SDK's
    /// default chain without one.
    /// </summary>
    internal static AWSCredentials DeployerCredentials(string? profile, CredentialProfileStoreChain? profiles = null) =>
        string.IsNullOrEmpty(profile)
            ? DefaultAWSCredentialsIdentityResolver.GetCredentials()
            : (profiles ?? new CredentialProfileStoreChain()).TryGetAWSCredentials(profile, out AWSCredentials? fromProfile)
                ? fromProfile
                : throw new InvalidOperationException($"AWS profile '{profile}' was not found in the shared config or credentials file");

    /// <summary>Requests are signed with <paramref name="credentials"/> for Lambda in <paramref name="region"/>, then sent through <paramref name="transport"/>.</summary>
    internal static LambdaFunctionVersions For(string region, AWSCredentials credentials, HttpMessageHandler transport)
    {
        RegionEndpoint endpoint = RegionEndpoint.GetBySystemName(region);
        var signed = new SigV4SigningHandler(credentials, endpoint, "lambda", transport);
        return new LambdaFunctionVersions(new HttpClient(signed) { BaseAddress = new Uri($"https://lambda.{region}.{endpoint.PartitionDnsSuffix}/") });
    }

    public async Task<IReadOnlyList<string>> ListVersionsAsync(string functionName, CancellationToken cancellationToken)
    {
        var versions = new List<string>();
        await foreach (JsonElement version in PagesAsync($"functions/{Uri.EscapeDataString(functionName)}/versions", "Versions", cancellationToken))
            versions.Add(version.GetProperty("Version").GetString()!);
        return versions;
    }

    public async Task<IReadOnlyList<string>> AliasedVersionsAsync(string functionName, CancellationToken cancellationToken)
    {
        var versions = new List<string>();
        await foreach (JsonElement alias in PagesAsync($"functions/{Uri.EscapeDataString(functionName)}/aliases", "Aliases", cancellationToken))
        {
            versions.Add(alias.GetProperty("FunctionVersion").GetString()!);
            // While an alias moves to a new version (or splits traffic), it routes a weight to a second one.
            if (alias.TryGetProperty("RoutingConfig", out JsonElement routing) && routing.ValueKind == JsonValueKind.Object
                && routing.TryGetProperty("AdditionalVersionWeights", out JsonElement weights) && weights.ValueKind == JsonValueKind.Object)
                versions.AddRange(weights.EnumerateObject().Select(weight => weight.Name));
        }
        return versions;
    }

    public async Task DeleteVersionAsync(string functionName, string version, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await http.DeleteAsync(
            $"{ApiVersion}/functions/{Uri.EscapeDataString(functionName)}?Qualifier={Uri.EscapeDataString(version)}", cancellationToken);
        await EnsureSuccessAsync(response, $"DeleteFunction {functionName}:{version}", cancellationToken);
    }

    /// <summary>Lambda's list calls page with Marker/NextMarker.</summary>
    private async IAsyncEnumerable<JsonElement> PagesAsync(string path, string listName,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? marker = null;
        do
        {
            string query = marker is null ? "?MaxItems=50" : $"?Marker={Uri.EscapeDataString(marker)}&MaxItems=50";
            using HttpResponseMessage response = await http.GetAsync($"{ApiVersion}/{path}{query}", cancellationToken);
            await EnsureSuccessAsync(response, $"GET {path}", cancellationToken);
            using JsonDocument page = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
            foreach (JsonElement item in page.RootElement.GetProperty(listName).EnumerateArray())
                yield return item.Clone();
            marker = page.RootElement.TryGetProperty("NextMarker", out JsonElement next) ? next.GetString() : null; // a string, or null on the last page
        }
        while (!string.IsNullOrEmpty(marker));
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string call, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new LambdaApiException(call, (int)response.StatusCode, ErrorType(response, body), ErrorMessage(body));
    }

    // Lambda names the error in the x-amzn-ErrorType header ("ResourceNotFoundException:http://...") and says why in the body.
    private static string ErrorType(HttpResponseMessage response, string body) =>
        response.Headers.NonValidated.TryGetValues("x-amzn-ErrorType", out HeaderStringValues values) ? values.ToString().Split(':')[0]
        : Property(body, "__type") ?? "UnknownError";

    private static string ErrorMessage(string body) => Property(body, "message") ?? Property(body, "Message") ?? body;

    private static string? Property(string body, string name)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out JsonElement value)
                ? value.ToString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>A Lambda API call that failed: what was called, the HTTP status, Lambda's error type and message.</summary>
public sealed class LambdaApiException(string call, int status, string errorType, string message)
    : Exception(string.Create(CultureInfo.InvariantCulture, $"{call} failed: {status} {errorType}: {message}"))
{
    public int Status { get; } = status;
    public string ErrorType { get; } = errorType;
}
