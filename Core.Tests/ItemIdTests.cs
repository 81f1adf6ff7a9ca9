using ItemsApi.Core.Items;

namespace ItemsApi.Core.Tests;

public class ItemIdTests
{
    [Fact]
    public void New_ids_are_valid_url_safe_and_sort_in_creation_order()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => ItemId.New(TimeProvider.System)).ToList();

        Assert.All(ids, id => Assert.True(ItemId.IsValid(id), id));
        Assert.All(ids, id => Assert.Equal(id, Uri.EscapeDataString(id)));
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void The_id_starts_with_the_creation_time()
    {
        var early = new FixedClock(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var late = new FixedClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        string a = ItemId.New(early), b = ItemId.New(late);
        Assert.True(string.CompareOrdinal(a[..10], b[..10]) < 0);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FA")]   // 25 characters
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FAVV")] // 27 characters
    [InlineData("01arz3ndektsv4rrffq69g5fav")]  // lower case
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FAU")]  // U is not in the alphabet
    [InlineData("81ARZ3NDEKTSV4RRFFQ69G5FAV")]  // first character above 7 overflows 128 bits
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5F/V")]
    public void Rejects_what_we_never_issue(string? id) => Assert.False(ItemId.IsValid(id));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
