using ItemsApi.Core.Settings;
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
}
