namespace ItemsApi.Core.Items;

/// <summary>
/// Where items live. <see cref="DynamoItemStore"/> is the real one; <see cref="InMemoryItemStore"/> keeps the
/// same contract in memory for tests that are about the HTTP behaviour, not DynamoDB. One contract test suite
/// runs against both.
/// </summary>
public interface IItemStore
{
    /// <summary>Stores a new item (version 1) with a fresh id.</summary>
    Task<StoredItem> CreateAsync(string documentJson, CancellationToken cancellationToken = default);

    Task<StoredItem?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> items after <paramref name="startAfterId"/>; each item is listed once across pages.</summary>
    Task<ItemPage> ListAsync(int limit, string? startAfterId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the document and bumps the version, atomically, only if the item exists and (when
    /// <paramref name="expectedVersion"/> is set) is still that version.
    /// </summary>
    Task<WriteResult> ReplaceAsync(string id, long? expectedVersion, string documentJson, CancellationToken cancellationToken = default);

    /// <summary>
    /// The first half of an idempotent create: records <paramref name="key"/> for a create of <paramref name="documentJson"/>
    /// (with a new item's id and timestamps) unless the key is already held within its window, and says what it found.
    /// </summary>
    Task<KeyClaim> ClaimAsync(IdempotencyKey key, string documentJson, CancellationToken cancellationToken = default);

    /// <summary>
    /// The second half: stores the claimed item unless it is already stored (a takeover of a claim whose first request
    /// stored it and then failed), marks the key completed, and returns the item. Never stores a second item for a key.
    /// </summary>
    Task<StoredItem> CompleteAsync(KeyClaim claim, CancellationToken cancellationToken = default);

    /// <summary>Deletes the item, only if it exists and (when <paramref name="expectedVersion"/> is set) is still that version.</summary>
    Task<WriteResult> DeleteAsync(string id, long? expectedVersion, CancellationToken cancellationToken = default);
}
