using ItemsApi.DeployTime.Aws;
using ItemsApi.DeployTime.Settings;
using ItemsApi.Infra.Components;
using Pulumi;

namespace ItemsApi.Infra;

/// <summary>
/// Issue 26, fault 10: API Gateway caches a TOKEN authorizer's Allow per token for authorizerResultTtlInSeconds
/// (authorizerCacheTtlSeconds), so a token whose hash was removed from authorizerTokenHashes keeps working until its
/// cached decision expires; changing the authorizer function's environment does not touch that cache. The stage's
/// authorizer cache is flushed (API Gateway FlushStageAuthorizersCache, DELETE /restapis/{id}/stages/{stage}/cache/authorizers)
/// once the authorizer function's new environment is live. The program cannot see the hashes of the last `up` (they are a
/// secret in the stack's config, not in its outputs), so it flushes on every `up` with an authorizer: the cost is one
/// authorizer run per token on its next request.
/// </summary>
public static class AuthorizerCacheFlush
{
    /// <summary>During `pulumi up` only: once the authorizer function is updated and the stage exists, flush; a failure is a warning.</summary>
    public static void AfterUpdate(Func<string, AwsApis> aws, IDeployedApi api, Pulumi.Aws.Lambda.Function authorizer)
    {
        if (Deployment.Instance.IsDryRun) return;
        // LastModified resolves once the provider has applied the function's configuration and Lambda reports it active.
        Output.Tuple(Pulumi.Aws.GetRegion.Invoke().Apply(r => r.Region), api.RestApiId, api.StageName, authorizer.LastModified)
            .Apply(t => FlushAsync(aws, t.Item1, t.Item2, t.Item3));
    }

    private static async Task<bool> FlushAsync(Func<string, AwsApis> aws, string region, string restApiId, string stageName)
    {
        try
        {
            await aws(region).Account.FlushAuthorizersCacheAsync(restApiId, stageName);
            Log.Info($"flushed the authorizer cache of stage '{stageName}', so removed {ConfigKeys.AuthorizerTokenHashes.Name} stop working now");
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.Warn($"could not flush the authorizer cache of stage '{stageName}' ({e.Message}): a token removed from {ConfigKeys.AuthorizerTokenHashes.Name} keeps " +
                $"working for up to {ConfigKeys.AuthorizerCacheTtlSeconds.Name} seconds. Close that window by hand: " +
                $"`{ManualCommand(region, restApiId, stageName)}`.");
            return false;
        }
    }

    /// <summary>The AWS CLI command that does the same flush.</summary>
    public static string ManualCommand(string region, string restApiId, string stageName) =>
        $"aws apigateway flush-stage-authorizers-cache --region {region} --rest-api-id {restApiId} --stage-name {stageName}";
}
