namespace ItemsApi.DeployTime.VersionRetention;

/// <summary>The published versions of a Lambda function and the aliases that use them (Lambda's API, <see cref="LambdaFunctionVersions"/>).</summary>
public interface IFunctionVersions
{
    /// <summary>Every version of the function, as Lambda names them ("$LATEST", "1", "2", ...).</summary>
    Task<IReadOnlyList<string>> ListVersionsAsync(string functionName, CancellationToken cancellationToken);

    /// <summary>Every version an alias of the function points to or sends weighted traffic to.</summary>
    Task<IReadOnlyList<string>> AliasedVersionsAsync(string functionName, CancellationToken cancellationToken);

    Task DeleteVersionAsync(string functionName, string version, CancellationToken cancellationToken);
}
