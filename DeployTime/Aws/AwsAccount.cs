using System.Net;
using System.Text.Json;
using System.Xml.Linq;

namespace ItemsApi.DeployTime.Aws;

/// <summary>What the program reads from the account, and the one action it takes outside the provider (a cache flush).</summary>
public interface IAwsAccount
{
    /// <summary>STS GetCallerIdentity: the account the program's calls act in.</summary>
    Task<string> CallerAccountIdAsync(CancellationToken cancellationToken = default);

    /// <summary>API Gateway GetAccount: the region's CloudWatch role ARN, or null when none is set.</summary>
    Task<string?> ApiGatewayCloudWatchRoleArnAsync(CancellationToken cancellationToken = default);

    /// <summary>Lambda GetAccountSettings: the account's concurrency limit in the region (AccountLimit.ConcurrentExecutions).</summary>
    Task<int> LambdaConcurrencyLimitAsync(CancellationToken cancellationToken = default);

    /// <summary>Lambda ListProvisionedConcurrencyConfigs: the provisioned concurrency of all the function's versions and aliases; 0 when it has none or does not exist.</summary>
    Task<int> ProvisionedConcurrencyAsync(string functionName, CancellationToken cancellationToken = default);

    /// <summary>
    /// The custom domain serves the stage: API Gateway has the domain (so its certificate was issued), a base path mapping
    /// of it points at <paramref name="stageName"/>, and the name resolves to the domain's regional endpoint.
    /// </summary>
    Task<bool> CustomDomainServesAsync(string domainName, string stageName, CancellationToken cancellationToken = default);

    /// <summary>API Gateway FlushStageAuthorizersCache: drops every cached authorizer decision of the stage.</summary>
    Task FlushAuthorizersCacheAsync(string restApiId, string stageName, CancellationToken cancellationToken = default);
}

/// <summary><see cref="IAwsAccount"/> over the signed REST APIs of API Gateway, Lambda and STS (<see cref="AwsApis"/>).</summary>
public sealed class AwsAccount(HttpClient apiGateway, HttpClient lambda, HttpClient sts, Func<string, Task<IPAddress[]>> resolve) : IAwsAccount
{
    public async Task<string> CallerAccountIdAsync(CancellationToken cancellationToken = default)
    {
        using var body = new FormUrlEncodedContent([new("Action", "GetCallerIdentity"), new("Version", "2011-06-15")]);
        using HttpResponseMessage response = await sts.PostAsync("", body, cancellationToken);
        await AwsApiException.EnsureSuccessAsync(response, "sts:GetCallerIdentity", cancellationToken);
        XDocument document = XDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return document.Descendants().FirstOrDefault(e => e.Name.LocalName == "Account")?.Value
            ?? throw new AwsApiException("sts:GetCallerIdentity", (int)response.StatusCode, "NoAccount", "the answer names no account");
    }

    public async Task<string?> ApiGatewayCloudWatchRoleArnAsync(CancellationToken cancellationToken = default)
    {
        using JsonDocument account = await GetJsonAsync(apiGateway, "account", "apigateway:GetAccount", cancellationToken);
        return account.RootElement.TryGetProperty("cloudwatchRoleArn", out JsonElement arn) && arn.GetString() is { Length: > 0 } value ? value : null;
    }

    public async Task<int> LambdaConcurrencyLimitAsync(CancellationToken cancellationToken = default)
    {
        using JsonDocument settings = await GetJsonAsync(lambda, "2016-08-19/account-settings/", "lambda:GetAccountSettings", cancellationToken);
        return settings.RootElement.GetProperty("AccountLimit").GetProperty("ConcurrentExecutions").GetInt32();
    }

    public async Task<int> ProvisionedConcurrencyAsync(string functionName, CancellationToken cancellationToken = default)
    {
        int total = 0;
        string? marker = null;
        do
        {
            string query = marker is null ? "?List=ALL" : $"?List=ALL&Marker={Uri.EscapeDataString(marker)}";
            using HttpResponseMessage response = await lambda.GetAsync($"2019-09-30/functions/{Uri.EscapeDataString(functionName)}/provisioned-concurrency{query}", cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound) return 0; // no such function yet: nothing provisioned
            await AwsApiException.EnsureSuccessAsync(response, "lambda:ListProvisionedConcurrencyConfigs", cancellationToken);
            using JsonDocument page = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
            foreach (JsonElement config in page.RootElement.GetProperty("ProvisionedConcurrencyConfigs").EnumerateArray())
                total += config.GetProperty("RequestedProvisionedConcurrentExecutions").GetInt32();
            marker = page.RootElement.TryGetProperty("NextMarker", out JsonElement next) ? next.GetString() : null;
        }
        while (!string.IsNullOrEmpty(marker));
        return total;
    }

    public async Task<bool> CustomDomainServesAsync(string domainName, string stageName, CancellationToken cancellationToken = default)
    {
        string path = $"domainnames/{Uri.EscapeDataString(domainName)}";
        using HttpResponseMessage domainResponse = await apiGateway.GetAsync(path, cancellationToken);
        if (domainResponse.StatusCode == HttpStatusCode.NotFound) return false;
        await AwsApiException.EnsureSuccessAsync(domainResponse, "apigateway:GetDomainName", cancellationToken);
        using JsonDocument domain = JsonDocument.Parse(await domainResponse.Content.ReadAsStreamAsync(cancellationToken));
        if (!domain.RootElement.TryGetProperty("regionalDomainName", out JsonElement target) || target.GetString() is not { Length: > 0 } regionalName) return false;
        if (domain.RootElement.TryGetProperty("domainNameStatus", out JsonElement status) && status.GetString() != "AVAILABLE") return false;

        // The stack maps the domain's root: the mapping without a base path, which API Gateway names "(none)".
        using HttpResponseMessage mappingResponse = await apiGateway.GetAsync($"{path}/basepathmappings/(none)", cancellationToken);
        if (mappingResponse.StatusCode == HttpStatusCode.NotFound) return false;
        await AwsApiException.EnsureSuccessAsync(mappingResponse, "apigateway:GetBasePathMapping", cancellationToken);
        using JsonDocument mapping = JsonDocument.Parse(await mappingResponse.Content.ReadAsStreamAsync(cancellationToken));
        if (!mapping.RootElement.TryGetProperty("stage", out JsonElement stage) || stage.GetString() != stageName) return false;

        // The alias record: the name resolves to the addresses of the domain's regional endpoint.
        try
        {
            IPAddress[] domainAddresses = await resolve(domainName);
            IPAddress[] endpointAddresses = await resolve(regionalName);
            return domainAddresses.Intersect(endpointAddresses).Any();
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false; // not in DNS (yet)
        }
    }

    public async Task FlushAuthorizersCacheAsync(string restApiId, string stageName, CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage response = await apiGateway.DeleteAsync(
            $"restapis/{Uri.EscapeDataString(restApiId)}/stages/{Uri.EscapeDataString(stageName)}/cache/authorizers", cancellationToken);
        await AwsApiException.EnsureSuccessAsync(response, "apigateway:FlushStageAuthorizersCache", cancellationToken);
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient client, string path, string call, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await client.GetAsync(path, cancellationToken);
        await AwsApiException.EnsureSuccessAsync(response, call, cancellationToken);
        return JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
    }
}
