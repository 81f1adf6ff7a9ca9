namespace ItemsApi.Core.Items;

/// <summary>An item as stored: server-assigned metadata plus the client's JSON object.</summary>
/// <param name="DocumentJson">The client's document, compact JSON text of an object.</param>
public sealed record StoredItem(string Id, long Version, string CreatedAt, string UpdatedAt, string DocumentJson)
{
    /// <summary>The strong entity tag for this version, e.g. <c>"3"</c>.</summary>
    public string ETag => $"\"{Version}\"";

    /// <summary>A timestamp as items carry it: UTC ISO-8601 with milliseconds.</summary>
    public static string Timestamp(TimeProvider clock) =>
        clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
