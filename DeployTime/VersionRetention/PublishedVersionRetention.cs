using System.Globalization;

namespace ItemsApi.DeployTime.VersionRetention;

/// <summary>
/// Which published versions of a function `pulumi up` deletes, so that versions do not pile up. Every code change
/// publishes a version when the function is served through its alias (SnapStart or provisioned concurrency), and
/// Lambda deletes none: for .NET, SnapStart bills snapshot caching for each published version while it exists, and
/// every version's code counts against the region's 75 GB code storage quota.
/// </summary>
public static class PublishedVersionRetention
{
    /// <summary>
    /// The versions to delete, oldest first: all but the newest <paramref name="keep"/> published versions, and never
    /// one in <paramref name="inUse"/> (what an alias points or routes to). <c>$LATEST</c> is not a published version.
    /// </summary>
    public static IReadOnlyList<string> VersionsToDelete(IEnumerable<string> published, IEnumerable<string> inUse, int keep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var protectedVersions = inUse.ToHashSet(StringComparer.Ordinal);
        return published
            .Select(version => (Text: version, Number: VersionNumber(version)))
            .Where(version => version.Number is not null) // "$LATEST" and anything Lambda might add that is not a version number
            .OrderByDescending(version => version.Number)
            .Skip(keep)
            .Where(version => !protectedVersions.Contains(version.Text))
            .OrderBy(version => version.Number)
            .Select(version => version.Text)
            .ToList();
    }

    private static long? VersionNumber(string version) =>
        long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out long number) ? number : null;

    /// <summary>
    /// Deletes old versions of <paramref name="functionName"/> once <paramref name="liveVersion"/> is what its alias
    /// serves: lists versions and aliases, and deletes what <see cref="VersionsToDelete"/> names. Returns the versions deleted.
    /// </summary>
    public static async Task<IReadOnlyList<string>> PruneAsync(IFunctionVersions lambda, string functionName, string liveVersion, int keep,
        CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> published = await lambda.ListVersionsAsync(functionName, cancellationToken);
        IReadOnlyList<string> aliased = await lambda.AliasedVersionsAsync(functionName, cancellationToken);
        IReadOnlyList<string> doomed = VersionsToDelete(published, [.. aliased, liveVersion], keep);
        foreach (string version in doomed)
            await lambda.DeleteVersionAsync(functionName, version, cancellationToken);
        return doomed;
    }
}
