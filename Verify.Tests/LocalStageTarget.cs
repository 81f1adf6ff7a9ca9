using ItemsApi.DeployTime.Settings;

namespace ItemsApi.Verify.Tests;

/// <summary>What verify needs of a <see cref="LocalStage"/>.</summary>
public static class LocalStageTarget
{
    /// <summary>What verify needs to know about this stage, as the stack outputs would say it.</summary>
    public static StageTarget Target(this LocalStage stage, string? apiKey = null) => new()
    {
        ItemsUrl = new Uri(stage.ItemsUrl),
        ApiKey = apiKey ?? LocalStage.ApiKey,
        BearerToken = stage.Settings.AuthMode == AuthMode.ApiKeyAndAuthorizer ? LocalStage.Token : null,
        AuthMode = stage.Settings.AuthMode,
        CorsAllowedOrigins = stage.Settings.CorsAllowedOrigins,
        Routes = stage.Routes,
    };

    /// <summary>Options that pace and back off on the stage's fake clock: no real waiting.</summary>
    public static ContractOptions Options(this LocalStage stage) => new() { Clock = stage.Clock, Delay = stage.Clock.AdvanceBy };
}
