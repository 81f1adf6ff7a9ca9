namespace ItemsApi.DeployTime.Project;

/// <summary>
/// The names of the stack's outputs (<c>pulumi stack output &lt;name&gt;</c>): the stack exports under these names and
/// verify reads them, so neither can rename one alone.
/// </summary>
public static class StackOutputNames
{
    /// <summary>The items URL: the stage's invoke URL, or the custom domain's, plus the collection path.</summary>
    public const string Url = "url";
    /// <summary>The current API key's value (a secret).</summary>
    public const string ApiKey = "apiKey";
    public const string ApiId = "apiId";
    public const string StageName = "stageName";
    public const string TableName = "tableName";
    public const string FunctionName = "functionName";
    /// <summary>The stage's authMode, in the config key's words: which of verify's checks apply.</summary>
    public const string AuthMode = "authMode";
    /// <summary>The stage's CORS origins, as a JSON array: which origin verify's preflight sends.</summary>
    public const string CorsAllowedOrigins = "corsAllowedOrigins";
    /// <summary>With snapStart or provisionedConcurrency: the published versions the last update deleted.</summary>
    public const string DeletedFunctionVersions = "deletedFunctionVersions";
    /// <summary>During a key rotation: the next key's value (a secret).</summary>
    public const string NextApiKey = "nextApiKey";
    /// <summary>With access logs.</summary>
    public const string AccessLogGroupName = "accessLogGroupName";
    /// <summary>With a WAF ceiling.</summary>
    public const string WebAclArn = "webAclArn";
    /// <summary>With monitoring.</summary>
    public const string DashboardUrl = "dashboardUrl";
    /// <summary>With monitoring.</summary>
    public const string AlarmTopicArn = "alarmTopicArn";
    /// <summary>With a custom domain whose execute-api endpoint stays on: that endpoint's items URL.</summary>
    public const string ExecuteApiUrl = "executeApiUrl";
    /// <summary>In iam mode: a policy that allows calling exactly this stage's routes.</summary>
    public const string InvokePolicy = "invokePolicy";

    public static IReadOnlyList<string> All { get; } =
    [
        Url, ApiKey, ApiId, StageName, TableName, FunctionName, AuthMode, CorsAllowedOrigins, DeletedFunctionVersions, NextApiKey,
        AccessLogGroupName, WebAclArn, DashboardUrl, AlarmTopicArn, ExecuteApiUrl, InvokePolicy,
    ];
}
