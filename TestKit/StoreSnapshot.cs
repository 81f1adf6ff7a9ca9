using ItemsApi.Core.Items;

namespace ItemsApi.TestKit;

/// <summary>Every stored item in a stable text form, read through the store's own listing: for "nothing changed" checks.</summary>
public static class StoreSnapshot
{
    public static async Task<string> Of(IItemStore store)
    {
        var lines = new List<string>();
        string? after = null;
        do
        {
            ItemPage page = await store.ListAsync(100, after);
            lines.AddRange(page.Items.Select(i => $"{i.Id}|{i.Version}|{i.CreatedAt}|{i.UpdatedAt}|{i.DocumentJson}"));
            after = page.LastId;
        } while (after is not null);
        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    }
}
