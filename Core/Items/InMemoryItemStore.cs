namespace ItemsApi.Core.Items;

/// <summary>
/// The item store's contract in memory: conditional writes under one lock, listing in id order. For tests of
/// the HTTP behaviour and for running the handler without a DynamoDB-compatible server.
/// </summary>
public sealed class InMemoryItemStore(TimeProvider clock) : IItemStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, StoredItem> _items = new(StringComparer.Ordinal);

    /// <summary>Idempotency keys by record id; apart from the items, so listing never sees them.</summary>
    private readonly Dictionary<string, KeyRecord> _keys = new(StringComparer.Ordinal);

    private sealed record KeyRecord(string Fingerprint, StoredItem Item, bool Completed, DateTimeOffset LeaseUntil, DateTimeOffset ExpiresAt);

    public Task<StoredItem> CreateAsync(string documentJson, CancellationToken cancellationToken = default)
    {
        string now = Timestamp();
        var item = new StoredItem(ItemId.New(clock), 1, now, now, documentJson);
        lock (_gate) _items.Add(item.Id, item);
        return Task.FromResult(item);
    }

    public Task<StoredItem?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult(_items.GetValueOrDefault(id));
    }

    public Task<ItemPage> ListAsync(int limit, string? startAfterId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            List<StoredItem> after = _items.Values.Where(i => startAfterId is null || string.CompareOrdinal(i.Id, startAfterId) > 0).Take(limit + 1).ToList();
            bool more = after.Count > limit;
            List<StoredItem> page = after.Take(limit).ToList();
            return Task.FromResult(new ItemPage(page, more ? page[^1].Id : null));
        }
    }

    public Task<WriteResult> ReplaceAsync(string id, long? expectedVersion, string documentJson, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (Refused(id, expectedVersion) is { } refused) return Task.FromResult(refused);
            StoredItem current = _items[id];
            StoredItem replaced = current with { Version = current.Version + 1, UpdatedAt = Timestamp(), DocumentJson = documentJson };
            _items[id] = replaced;
            return Task.FromResult(new WriteResult(WriteStatus.Ok, replaced));
        }
    }

    public Task<KeyClaim> ClaimAsync(IdempotencyKey key, string documentJson, CancellationToken cancellationToken = default)
    {
        DateTimeOffset now = clock.GetUtcNow();
        string fingerprint = IdempotencyKey.Fingerprint(documentJson);
        lock (_gate)
        {
            if (_keys.TryGetValue(key.RecordId, out KeyRecord? held) && held.ExpiresAt > now)
            {
                if (held.Fingerprint != fingerprint) return Task.FromResult(new KeyClaim(KeyClaimStatus.DifferentRequest, key));
                if (held.Completed) return Task.FromResult(new KeyClaim(KeyClaimStatus.Completed, key, held.Item));
                if (held.LeaseUntil > now) return Task.FromResult(new KeyClaim(KeyClaimStatus.InFlight, key, RetryAfter: held.LeaseUntil - now));
                // The first request's lease ended without completing: take over, with its item.
                _keys[key.RecordId] = held with { LeaseUntil = now + IdempotencyKey.InFlightLease };
                return Task.FromResult(new KeyClaim(KeyClaimStatus.Claimed, key, held.Item));
            }
            string timestamp = Timestamp();
            var item = new StoredItem(ItemId.New(clock), 1, timestamp, timestamp, documentJson);
            _keys[key.RecordId] = new KeyRecord(fingerprint, item, Completed: false, now + IdempotencyKey.InFlightLease, now + key.Window);
            return Task.FromResult(new KeyClaim(KeyClaimStatus.Claimed, key, item));
        }
    }

    public Task<StoredItem> CompleteAsync(KeyClaim claim, CancellationToken cancellationToken = default)
    {
        StoredItem item = claim.Item!;
        lock (_gate)
        {
            _items.TryAdd(item.Id, item);
            if (_keys.TryGetValue(claim.Key.RecordId, out KeyRecord? held) && held.Item.Id == item.Id)
                _keys[claim.Key.RecordId] = held with { Completed = true };
            return Task.FromResult(item);
        }
    }

    public Task<WriteResult> DeleteAsync(string id, long? expectedVersion, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (Refused(id, expectedVersion) is { } refused) return Task.FromResult(refused);
            _items.Remove(id);
            return Task.FromResult(new WriteResult(WriteStatus.Ok));
        }
    }

    private WriteResult? Refused(string id, long? expectedVersion) =>
        !_items.TryGetValue(id, out StoredItem? current) ? WriteResult.NotFound
        : expectedVersion is { } expected && current.Version != expected ? WriteResult.VersionMismatch
        : null;

    private string Timestamp() => StoredItem.Timestamp(clock);
}
