using ItemsApi.Core.Items;
using Microsoft.Extensions.Time.Testing;

namespace ItemsApi.Core.Tests;

public sealed class InMemoryItemStoreTests : ItemStoreContractTests
{
    protected override FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, 123, TimeSpan.Zero));

    protected override IItemStore Store { get; }

    public InMemoryItemStoreTests() => Store = new InMemoryItemStore(Clock);
}
