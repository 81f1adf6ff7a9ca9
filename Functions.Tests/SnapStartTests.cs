using ItemsApi.Core.Http;
using ItemsApi.Core.Items;
using Microsoft.Extensions.Time.Testing;

namespace ItemsApi.Functions.Tests;

/// <summary>What the function does when Lambda resumes it from a SnapStart snapshot.</summary>
public sealed class SnapStartTests
{
    [Fact]
    public async Task After_a_restore_ids_draw_fresh_random_bits_instead_of_continuing_the_snapshots_sequence()
    {
        // A stopped clock past any other test's, so both ids fall in the same millisecond of the shared generator.
        var clock = new FakeTimeProvider(new DateTimeOffset(6000, 1, 1, 0, 0, 0, TimeSpan.Zero));
        string before = ItemId.New(clock);
        string continued = ItemId.New(clock);
        Assert.Equal(before[10..20], continued[10..20]); // without a restore: the same random bits, counted up

        var reads = new List<string>();
        await ItemsFunction.AfterRestoreAsync(new ItemsApiHandler(new ReadRecordingStore(reads), CorsPolicy.Disabled));
        string restored = ItemId.New(clock);
        Assert.Equal(before[..10], restored[..10]);
        Assert.NotEqual(before[10..20], restored[10..20]);
        // The connection from the snapshot is dead: the hook reads once, so a fresh one is ready for the first request.
        Assert.Equal(["00000000000000000000000000"], reads);
    }

    /// <summary>An empty store that records the ids read.</summary>
    private sealed class ReadRecordingStore(List<string> reads) : IItemStore
    {
        private readonly InMemoryItemStore _store = new(TimeProvider.System);
        public Task<StoredItem> CreateAsync(string documentJson, CancellationToken cancellationToken = default) => _store.CreateAsync(documentJson, cancellationToken);
        public Task<StoredItem?> GetAsync(string id, CancellationToken cancellationToken = default)
        {
            reads.Add(id);
            return _store.GetAsync(id, cancellationToken);
        }
        public Task<ItemPage> ListAsync(int limit, string? startAfterId, CancellationToken cancellationToken = default) => _store.ListAsync(limit, startAfterId, cancellationToken);
        public Task<WriteResult> ReplaceAsync(string id, long? expectedVersion, string documentJson, CancellationToken cancellationToken = default) =>
            _store.ReplaceAsync(id, expectedVersion, documentJson, cancellationToken);
        public Task<WriteResult> DeleteAsync(string id, long? expectedVersion, CancellationToken cancellationToken = default) => _store.DeleteAsync(id, expectedVersion, cancellationToken);
        public Task<KeyClaim> ClaimAsync(IdempotencyKey key, string documentJson, CancellationToken cancellationToken = default) => _store.ClaimAsync(key, documentJson, cancellationToken);
        public Task<StoredItem> CompleteAsync(KeyClaim claim, CancellationToken cancellationToken = default) => _store.CompleteAsync(claim, cancellationToken);
    }
}
