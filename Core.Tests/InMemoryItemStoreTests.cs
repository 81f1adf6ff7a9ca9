using ItemsApi.Core.Items;

namespace ItemsApi.Core.Tests;

public sealed class InMemoryItemStoreTests : ItemStoreContractTests
{
    protected override IItemStore Store { get; } = new InMemoryItemStore(TimeProvider.System);
}
