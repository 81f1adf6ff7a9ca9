namespace ItemsApi.DeployTime.Operations;

/// <summary>A CloudWatch Logs Insights query saved with the stage, over its access log or its function log.</summary>
public sealed record SavedQuery(string Key, string Title, QueryLog Log, string Query)
{
    /// <summary>Saved under the folder {project}/{stage} in the Logs Insights console.</summary>
    public string Name(string project, string stageName) => $"{project}/{stageName}/{Key}";
}

public enum QueryLog
{
    AccessLog,
    FunctionLog,
}
