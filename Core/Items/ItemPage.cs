namespace ItemsApi.Core.Items;

/// <summary>One page of a listing; <see cref="LastId"/> is where the next page starts, or null at the end.</summary>
public sealed record ItemPage(IReadOnlyList<StoredItem> Items, string? LastId);
