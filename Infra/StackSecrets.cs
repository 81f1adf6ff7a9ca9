using System.Text.Json;
using ItemsApi.DeployTime.Settings;
using Pulumi;

namespace ItemsApi.Infra;

/// <summary>
/// The secret config values, read with <see cref="Config.GetSecret"/> so they stay secret outputs all the way
/// into the resources (plain text never flows onward, so it cannot leak into state or a log).
/// <see cref="StageSettings"/> has validated them first.
/// </summary>
public sealed record StackSecrets(Output<string>? ApiKeyValue, Output<string>? NextApiKeyValue, Output<string>? AuthorizerTokenHashes)
{
    public static StackSecrets Read(Config config, StageSettings settings) => new(
        settings.ApiKeyValue is null ? null : config.GetSecret(ConfigKeys.ApiKeyValue.Name),
        settings.NextApiKeyValue is null ? null : config.GetSecret(ConfigKeys.NextApiKeyValue.Name),
        settings.AuthorizerTokenHashes.Count == 0 ? null : config.GetSecret(ConfigKeys.AuthorizerTokenHashes.Name));

    /// <summary>
    /// Whether the stack file keeps a project key encrypted. Pulumi's .NET language host hands the program the names of
    /// the secret config keys as a JSON array in PULUMI_CONFIG_SECRET_KEYS (namespaced, <c>items-api:apiKeyValue</c>),
    /// beside the values in PULUMI_CONFIG; the SDK reads the same variable but keeps its lookup internal.
    /// </summary>
    public static bool IsEncrypted(string key) =>
        Environment.GetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS") is { Length: > 0 } json
        && (JsonSerializer.Deserialize<string[]>(json) ?? []).Contains($"{ConfigKeys.Project}:{key}");
}
