namespace ItemsApi.Core.Items;

/// <summary>What claiming an idempotency key found (<see cref="IItemStore.ClaimAsync"/>).</summary>
public enum KeyClaimStatus
{
    /// <summary>This request holds the key: store <see cref="KeyClaim.Item"/> with <see cref="IItemStore.CompleteAsync"/>.</summary>
    Claimed,

    /// <summary>A request with this key and this body already created <see cref="KeyClaim.Item"/>: answer it again.</summary>
    Completed,

    /// <summary>The key was used with another body within the window (the draft's 422).</summary>
    DifferentRequest,

    /// <summary>A request with this key is still running (the draft's 409); retry after <see cref="KeyClaim.RetryAfter"/>.</summary>
    InFlight,
}

/// <param name="Item">Claimed: the item to store (its id is fixed by the first claim, so a takeover stores the same item); Completed: the original item.</param>
/// <param name="RetryAfter">InFlight: how long until the running request's lease ends.</param>
public sealed record KeyClaim(KeyClaimStatus Status, IdempotencyKey Key, StoredItem? Item = null, TimeSpan RetryAfter = default);
