namespace ItemsApi.Core.Items;

/// <summary>The result of a conditional write: the item after the write, or why it did not happen.</summary>
public sealed record WriteResult(WriteStatus Status, StoredItem? Item = null)
{
    public static WriteResult NotFound { get; } = new(WriteStatus.NotFound);
    public static WriteResult VersionMismatch { get; } = new(WriteStatus.VersionMismatch);
}
