using System.Text.Json;
using ItemsApi.DeployTime.VersionRetention;

namespace ItemsApi.DeployTime.Aws;

/// <summary>
/// The three calls of Lambda's REST API (version 2015-03-31) that <see cref="PublishedVersionRetention"/> needs:
/// ListVersionsByFunction, ListAliases and DeleteFunction with a version qualifier, on a client signed as the
/// provider's identity (<see cref="AwsApis"/>). Plain HTTP because the Lambda client package is one dependency more
/// for three documented calls. The function may be named by its ARN, which pins the calls to its account.
/// </summary>
public sealed class LambdaFunctionVersions(HttpClient http) : IFunctionVersions
{
    private const string ApiVersion = "2015-03-31";

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

    private static Task EnsureSuccessAsync(HttpResponseMessage response, string call, CancellationToken cancellationToken) =>
        AwsApiException.EnsureSuccessAsync(response, call, cancellationToken, (c, s, t, m) => new LambdaApiException(c, s, t, m));
}

/// <summary>A Lambda API call that failed: what was called, the HTTP status, Lambda's error type and message.</summary>
public sealed class LambdaApiException(string call, int status, string errorType, string message) : AwsApiException(call, status, errorType, message);
