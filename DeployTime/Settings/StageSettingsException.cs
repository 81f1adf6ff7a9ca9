namespace ItemsApi.DeployTime.Settings;

/// <summary>Thrown when stack config is invalid; the message names every bad key, its value and what is allowed.</summary>
public sealed class StageSettingsException(IReadOnlyList<string> errors)
    : Exception("Invalid stack configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
