namespace ItemsApi.Core.Items;

/// <summary>An item as stored: server-assigned metadata plus the client's JSON object.</summary>
/// <param name="DocumentJson">The client's document, compact JSON text of an object.</param>
public sealed record StoredItem(string Id, long Version, string CreatedAt, string UpdatedAt, string DocumentJson)
{
    /// <summary>The strong entity tag for this version, e.g. <c>"3"</c>.</summary>
    public string ETag => $"\"{Version}\"";
}

public enum WriteStatus { Ok, NotFound, VersionMismatch }

/// <summary>The result of a conditional write: the item after the write, or why it did not happen.</summary>
public sealed record WriteResult(WriteStatus Status, StoredItem? Item = null)
{
    public static WriteResult NotFound { get; } = new(WriteStatus.NotFound);
    public static WriteResult VersionMismatch { get; } = new(WriteStatus.VersionMismatch);
}

/// <summary>One page of a listing; <see cref="LastId"/> is where the next page starts, or null at the end.</summary>
public sealed record ItemPage(IReadOnlyList<StoredItem> Items, string? LastId);
