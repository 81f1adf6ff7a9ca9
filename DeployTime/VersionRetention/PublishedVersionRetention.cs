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
    /// <paramref name="keep"/> 0: every published version no alias uses (the function no longer serves through one).
    /// </summary>
    public static IReadOnlyList<string> VersionsToDelete(IEnumerable<string> published, IEnumerable<string> inUse, int keep)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        var protectedVersions = inUse.ToHashSet(StringComparer.Ordinal);
        return PublishedNumbers(published)
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

    /// <summary>
    /// For a function no longer served through an alias (snapStart and provisionedConcurrency turned off): deletes every
    /// published version no alias uses, and returns what was deleted and what an alias still holds. The alias itself is
    /// deleted at the end of the same `up` (Pulumi deletes last), so the versions it held go at the next `up`.
    /// </summary>
    public static async Task<(IReadOnlyList<string> Deleted, IReadOnlyList<string> StillAliased)> PruneWithoutAliasAsync(IFunctionVersions lambda,
        string functionName, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> published = await lambda.ListVersionsAsync(functionName, cancellationToken);
        if (!PublishedNumbers(published).Any()) return ([], []);
        IReadOnlyList<string> aliased = await lambda.AliasedVersionsAsync(functionName, cancellationToken);
        IReadOnlyList<string> doomed = VersionsToDelete(published, aliased, keep: 0);
        foreach (string version in doomed)
            await lambda.DeleteVersionAsync(functionName, version, cancellationToken);
        return (doomed, PublishedNumbers(published).Select(v => v.Text).Where(aliased.Contains).ToList());
    }

    private static IEnumerable<(string Text, long Number)> PublishedNumbers(IEnumerable<string> versions) => versions
        .Select(version => (Text: version, Number: VersionNumber(version)))
        .Where(version => version.Number is not null) // "$LATEST" and anything Lambda might add that is not a version number
        .Select(version => (version.Text, version.Number!.Value));
}
