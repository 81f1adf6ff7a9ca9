namespace ItemsApi.Core.Items;

/// <summary>A create with an idempotency key, on any store: claim the key, then store the item if this request holds it.</summary>
public static class IdempotentCreate
{
    /// <summary>Claimed becomes Completed with the stored item; every other claim is returned as it is.</summary>
    public static async Task<KeyClaim> CreateOnceAsync(this IItemStore store, IdempotencyKey key, string documentJson, CancellationToken cancellationToken = default)
    {
        KeyClaim claim = await store.ClaimAsync(key, documentJson, cancellationToken);
        if (claim.Status != KeyClaimStatus.Claimed) return claim;
        StoredItem item = await store.CompleteAsync(claim, cancellationToken);
        return claim with { Status = KeyClaimStatus.Completed, Item = item };
    }
}
