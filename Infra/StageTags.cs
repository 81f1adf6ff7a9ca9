using ItemsApi.DeployTime.Settings;
using Pulumi;

namespace ItemsApi.Infra;

/// <summary>The tags of every taggable resource of a stage (<see cref="StageSettings.StageTagKey"/>).</summary>
public static class StageTags
{
    public static InputMap<string> For(StageSettings settings) => new() { [StageSettings.StageTagKey] = settings.StageName };
}
