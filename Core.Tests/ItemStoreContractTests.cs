using ItemsApi.Core.Items;
using Microsoft.Extensions.Time.Testing;

namespace ItemsApi.Core.Tests;

/// <summary>
/// What every <see cref="IItemStore"/> promises, run against each implementation: the DynamoDB store against
/// dynalite (<see cref="DynamoItemStoreTests"/>) and the in-memory one (<see cref="InMemoryItemStoreTests"/>).
/// </summary>
public abstract class ItemStoreContractTests
{
    protected abstract IItemStore Store { get; }

    /// <summary>The clock the store stamps items with.</summary>
    protected abstract FakeTimeProvider Clock { get; }

    [Fact]
    public async Task Timestamps_are_the_stores_clock_in_utc_with_milliseconds_and_a_replace_moves_only_updated_at()
    {
        StoredItem created = await Store.CreateAsync("{}");
        Assert.Equal("2026-11-22T08:00:00.123Z", created.CreatedAt);
        Assert.Equal("2026-11-22T08:00:00.123Z", created.UpdatedAt);
        Assert.Equal("\"1\"", created.ETag);

        Clock.Advance(TimeSpan.FromMilliseconds(1500));
        StoredItem replaced = (await Store.ReplaceAsync(created.Id, null, """{"b":1}""")).Item!;
        Assert.Equal(("2026-11-22T08:00:00.123Z", "2026-11-22T08:00:01.623Z"), (replaced.CreatedAt, replaced.UpdatedAt));
        Assert.Equal("\"2\"", replaced.ETag);
        Assert.Equal(replaced, await Store.GetAsync(created.Id));
    }

    [Fact]
    public async Task A_created_item_reads_back_as_version_1_with_its_document()
    {
        StoredItem created = await Store.CreateAsync("""{"a":1}""");
        Assert.True(ItemId.IsValid(created.Id));
        Assert.Equal(1, created.Version);
        Assert.Equal(created.CreatedAt, created.UpdatedAt);
        Assert.Equal(created, await Store.GetAsync(created.Id));
        Assert.Null(await Store.GetAsync(ItemId.New(TimeProvider.System)));
    }

    [Fact]
    public async Task Replace_with_the_current_version_bumps_it_and_a_stale_version_changes_nothing()
    {
        StoredItem created = await Store.CreateAsync("""{"a":1}""");
        WriteResult replaced = await Store.ReplaceAsync(created.Id, 1, """{"a":2}""");
        Assert.Equal(WriteStatus.Ok, replaced.Status);
        Assert.Equal(2, replaced.Item!.Version);
        Assert.Equal("""{"a":2}""", replaced.Item.DocumentJson);
        Assert.Equal(created.CreatedAt, replaced.Item.CreatedAt);

        Assert.Equal(WriteStatus.VersionMismatch, (await Store.ReplaceAsync(created.Id, 1, """{"a":3}""")).Status);
        Assert.Equal(replaced.Item, await Store.GetAsync(created.Id));
    }

    [Fact]
    public async Task Replace_without_a_version_takes_whatever_is_stored()
    {
        StoredItem created = await Store.CreateAsync("{}");
        await Store.ReplaceAsync(created.Id, null, """{"b":1}""");
        WriteResult again = await Store.ReplaceAsync(created.Id, null, """{"b":2}""");
        Assert.Equal(3, again.Item!.Version);
    }

    [Fact]
    public async Task Writes_to_a_missing_item_are_not_found_and_create_nothing()
    {
        string id = ItemId.New(TimeProvider.System);
        Assert.Equal(WriteStatus.NotFound, (await Store.ReplaceAsync(id, null, "{}")).Status);
        Assert.Equal(WriteStatus.NotFound, (await Store.ReplaceAsync(id, 1, "{}")).Status);
        Assert.Equal(WriteStatus.NotFound, (await Store.DeleteAsync(id, null)).Status);
        Assert.Null(await Store.GetAsync(id));
    }

    [Fact]
    public async Task Delete_honours_the_expected_version()
    {
        StoredItem created = await Store.CreateAsync("{}");
        Assert.Equal(WriteStatus.VersionMismatch, (await Store.DeleteAsync(created.Id, 7)).Status);
        Assert.NotNull(await Store.GetAsync(created.Id));
        Assert.Equal(WriteStatus.Ok, (await Store.DeleteAsync(created.Id, 1)).Status);
        Assert.Null(await Store.GetAsync(created.Id));
        Assert.Equal(WriteStatus.NotFound, (await Store.DeleteAsync(created.Id, null)).Status);
    }

    [Fact]
    public async Task Listing_pages_through_every_item_exactly_once()
    {
        var created = new List<string>();
        for (int i = 0; i < 11; i++) created.Add((await Store.CreateAsync($$"""{"n":{{i}}}""")).Id);

        var seen = new List<string>();
        string? after = null;
        int pages = 0;
        do
        {
            ItemPage page = await Store.ListAsync(4, after);
            Assert.InRange(page.Items.Count, 0, 4);
            seen.AddRange(page.Items.Select(i => i.Id));
            after = page.LastId;
        } while (after is not null && ++pages < 10);

        Assert.Null(after);
        Assert.Equal(created.Order(), seen.Order());
    }

    private static readonly TimeSpan Window = TimeSpan.FromHours(24);

    private static IdempotencyKey Key(string value = "key-1") => new(value, Window);

    [Fact]
    public async Task A_create_repeated_with_its_key_returns_the_same_item_and_stores_one()
    {
        KeyClaim first = await Store.CreateOnceAsync(Key(), """{"a":1}""");
        Clock.Advance(TimeSpan.FromMinutes(1));
        KeyClaim again = await Store.CreateOnceAsync(Key(), """{"a":1}""");

        Assert.Equal(KeyClaimStatus.Completed, first.Status);
        Assert.Equal(KeyClaimStatus.Completed, again.Status);
        Assert.Equal(first.Item, again.Item);
        Assert.Equal(first.Item, await Store.GetAsync(first.Item!.Id));
        Assert.Equal([first.Item.Id], await AllIds());
    }

    [Fact]
    public async Task The_key_with_a_different_body_is_refused_and_stores_nothing()
    {
        await Store.CreateOnceAsync(Key(), """{"a":1}""");
        Assert.Equal(KeyClaimStatus.DifferentRequest, (await Store.CreateOnceAsync(Key(), """{"a":2}""")).Status);
        Assert.Single(await AllIds());
    }

    [Fact]
    public async Task A_key_claimed_by_a_running_request_is_in_flight_until_its_lease_ends_then_a_retry_stores_the_same_item_once()
    {
        KeyClaim running = await Store.ClaimAsync(Key(), "{}");
        Assert.Equal(KeyClaimStatus.Claimed, running.Status);

        Clock.Advance(TimeSpan.FromSeconds(5));
        KeyClaim retry = await Store.CreateOnceAsync(Key(), "{}");
        Assert.Equal(KeyClaimStatus.InFlight, retry.Status);
        Assert.Equal(IdempotencyKey.InFlightLease - TimeSpan.FromSeconds(5), retry.RetryAfter);
        Assert.Empty(await AllIds());

        // The first request died before it stored its item: after its lease a retry takes the claim over and stores the item
        // with the id the first one chose.
        await Store.CreateAsync("{}"); // someone else's item, untouched
        Clock.Advance(IdempotencyKey.InFlightLease);
        KeyClaim takeover = await Store.CreateOnceAsync(Key(), "{}");
        Assert.Equal(KeyClaimStatus.Completed, takeover.Status);
        Assert.Equal(running.Item!.Id, takeover.Item!.Id);
        Assert.Equal(2, (await AllIds()).Count);
        Assert.Equal(takeover.Item, (await Store.CreateOnceAsync(Key(), "{}")).Item);
    }

    [Fact]
    public async Task A_claim_whose_item_was_stored_before_its_request_died_completes_with_that_item()
    {
        KeyClaim running = await Store.ClaimAsync(Key(), "{}");
        await Store.CompleteAsync(running); // stored; as if the answer was lost
        Assert.Equal(running.Item, (await Store.CreateOnceAsync(Key(), "{}")).Item);
        Assert.Single(await AllIds());
    }

    [Fact]
    public async Task After_the_window_the_same_key_creates_a_new_item()
    {
        KeyClaim first = await Store.CreateOnceAsync(Key(), "{}");
        Clock.Advance(Window + TimeSpan.FromSeconds(1));
        KeyClaim later = await Store.CreateOnceAsync(Key(), "{}");
        Assert.Equal(KeyClaimStatus.Completed, later.Status);
        Assert.NotEqual(first.Item!.Id, later.Item!.Id);
        Assert.Equal(2, (await AllIds()).Count);
    }

    [Fact]
    public async Task Concurrent_retries_with_one_key_create_exactly_one_item()
    {
        for (int round = 0; round < 5; round++)
        {
            IdempotencyKey key = Key($"race-{round}");
            KeyClaim[] answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Store.CreateOnceAsync(key, "{}"))));
            StoredItem created = Assert.Single(answers.Where(a => a.Status == KeyClaimStatus.Completed).Select(a => a.Item!).Distinct());
            Assert.All(answers, a => Assert.Contains(a.Status, new[] { KeyClaimStatus.Completed, KeyClaimStatus.InFlight }));
            Assert.Equal(created, (await Store.CreateOnceAsync(key, "{}")).Item);
        }
        Assert.Equal(5, (await AllIds()).Count);
    }

    [Fact]
    public async Task Key_records_are_never_listed_or_read_as_items()
    {
        await Store.ClaimAsync(Key("only-claimed"), "{}");
        KeyClaim created = await Store.CreateOnceAsync(Key(), "{}");
        Assert.Equal([created.Item!.Id], await AllIds());
        Assert.Null(await Store.GetAsync(Key().RecordId));
    }

    private async Task<List<string>> AllIds()
    {
        var ids = new List<string>();
        string? after = null;
        do
        {
            ItemPage page = await Store.ListAsync(2, after);
            ids.AddRange(page.Items.Select(i => i.Id));
            after = page.LastId;
        } while (after is not null);
        return ids;
    }
}
