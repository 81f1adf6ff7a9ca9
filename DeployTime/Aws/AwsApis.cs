using System.Net.Http.Headers;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using ItemsApi.DeployTime.VersionRetention;

namespace ItemsApi.DeployTime.Aws;

/// <summary>
/// The AWS calls the program makes itself, besides the provider's: reads of the account at preview and up
/// (<see cref="IAwsAccount"/>) and the pruning of old function versions (<see cref="IFunctionVersions"/>), all signed
/// as the provider's identity (<see cref="ProviderCredentials"/>) in its region, at its endpoints.
/// </summary>
public sealed record AwsApis(IAwsAccount Account, IFunctionVersions Versions)
{
    /// <summary>Clients for the provider configured by <paramref name="config"/>, in <paramref name="region"/> (the provider's getRegion).</summary>
    public static AwsApis ForProvider(ProviderConfig config, string region)
    {
        config = config with { Region = region };
        return For(config, ProviderCredentials.For(config), new HttpClientHandler { AllowAutoRedirect = false }, Dns.GetHostAddressesAsync);
    }

    /// <summary>
    /// Requests are signed with <paramref name="credentials"/> by AWSSDK.Core's <see cref="SigV4SigningHandler"/> (its
    /// constructor from <see cref="AWSSigV4Parameters"/> and an inner handler, as in the pinned AWSSDK.Core 4.0.102.18),
    /// then sent through <paramref name="transport"/>. <paramref name="signedAt"/>: a fixed signing time, for known-answer
    /// tests; null signs with the current time.
    /// </summary>
    internal static AwsApis For(ProviderConfig config, AWSCredentials credentials, HttpMessageHandler transport, Func<string, Task<IPAddress[]>> resolve,
        DateTime? signedAt = null)
    {
        HttpClient Client(string service) => SignedClient(config, credentials, service, transport, signedAt);
        return new AwsApis(
            new AwsAccount(Client("apigateway"), Client("lambda"), Client("sts"), resolve),
            new LambdaFunctionVersions(Client("lambda")));
    }

    /// <summary>A client for <paramref name="service"/> at the provider's endpoint for it, every request signed with SigV4 for that service.</summary>
    internal static HttpClient SignedClient(ProviderConfig config, AWSCredentials credentials, string service, HttpMessageHandler transport, DateTime? signedAt = null)
    {
        RegionEndpoint region = RegionEndpoint.GetBySystemName(config.Region);
        var parameters = new AWSSigV4Parameters { Credentials = credentials, Region = region, Service = service, SignedAt = signedAt };
        return new HttpClient(new SigV4SigningHandler(parameters, transport), disposeHandler: false) { BaseAddress = config.EndpointFor(service, region.PartitionDnsSuffix) };
    }
}

/// <summary>A call to an AWS API that failed: what was called, the HTTP status, AWS's error type and message.</summary>
public class AwsApiException(string call, int status, string errorType, string message)
    : Exception(string.Create(CultureInfo.InvariantCulture, $"{call} failed: {status} {errorType}: {message}"))
{
    public int Status { get; } = status;
    public string ErrorType { get; } = errorType;

    /// <summary>Throws an <see cref="AwsApiException"/> (or <paramref name="create"/>'s) unless the response succeeded.</summary>
    internal static async Task EnsureSuccessAsync(HttpResponseMessage response, string call, CancellationToken cancellationToken,
        Func<string, int, string, string, AwsApiException>? create = null)
    {
        if (response.IsSuccessStatusCode) return;
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        create ??= (c, s, t, m) => new AwsApiException(c, s, t, m);
        throw create(call, (int)response.StatusCode, ErrorTypeOf(response, body), ErrorMessage(body));
    }

    // AWS's REST APIs name the error in the x-amzn-ErrorType header ("ResourceNotFoundException:http://...") and say why in the body.
    private static string ErrorTypeOf(HttpResponseMessage response, string body) =>
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
