using ItemsApi.Core.Items;
using Microsoft.Extensions.Time.Testing;

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
        var early = new FakeTimeProvider(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var late = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
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

    [Fact]
    public void Ids_encode_the_millisecond_then_the_random_bytes_in_crockford_base32()
    {
        // 48-bit time 0x0123456789AB, random bytes 01..0A, computed independently of this code.
        Assert.Equal("014D2PF2DB041061050R3GG28A", ItemId.Encode(0x0123456789AB, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
        Assert.Equal("014D2PF2DBZZZZZZZZZZZZZZZZ", ItemId.Encode(0x0123456789AB, Enumerable.Repeat((byte)0xFF, 10).ToArray()));
    }

    [Fact]
    public void The_largest_id_is_valid() => Assert.True(ItemId.IsValid("7ZZZZZZZZZZZZZZZZZZZZZZZZZ"));
}
