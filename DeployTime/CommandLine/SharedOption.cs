using System.Text.RegularExpressions;
using ItemsApi.DeployTime.Gateway;

namespace ItemsApi.DeployTime.CommandLine;

/// <summary>
/// An option both commands take, the local run (LocalGateway) and verify: one name, one meaning and one check, so
/// <c>--api-key</c> is the same key whether the local stage accepts it or verify sends it. Only the default differs,
/// as each command has its own.
/// </summary>
/// <param name="Name">The option, e.g. <c>--api-key</c>.</param>
/// <param name="ValueName">What the help shows for its value, e.g. <c>&lt;key&gt;</c>.</param>
/// <param name="Description">Its meaning, without the default.</param>
/// <param name="Check">Returns why a value is not valid, or null when it is; null: any value.</param>
public sealed record SharedOption(string Name, string ValueName, string Description, Func<string, string?>? Check = null)
{
    public static readonly SharedOption Stack = new("--stack", "name",
        "the Pulumi stack, one per stage (its settings: Pulumi.<name>.yaml)");

    /// <summary>API Gateway's own rule for a key value (<see cref="ApiKeyRule"/>, which the config key <c>apiKeyValue</c> checks too).</summary>
    public static readonly SharedOption ApiKey = new("--api-key", "key",
        $"the stage's API key, the x-api-key header ({ApiKeyRule.Text})",
        value => ApiKeyRule.Allows(value)
            ? null : $"--api-key must be {ApiKeyRule.Text}, as API Gateway requires, not {value.Length}.");

    /// <summary>A token the stage's identity validation (<see cref="GatewayPolicy.BearerTokenPattern"/>) would refuse can never work.</summary>
    public static readonly SharedOption Token = new("--token", "token",
        "the bearer token in authMode apiKey+authorizer (Authorization: Bearer <token>)",
        value => Regex.IsMatch("Bearer " + value, GatewayPolicy.BearerTokenPattern)
            ? null : "--token must be a token API Gateway lets through: letters, digits and -._~+/ (then optional '=').");

    public static IReadOnlyList<SharedOption> All { get; } = [Stack, ApiKey, Token];
}
