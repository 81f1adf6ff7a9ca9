using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ItemsApi.DeployTime.Packaging;

/// <summary>What the cache knows of one stored build: the zip's size and hash, when it was built, and what from.</summary>
public sealed record CachedBuild(string Hash, long Size, string ZipSha256, DateTimeOffset BuiltAt, IReadOnlyList<FunctionBuildInput> Inputs);

/// <summary>Whether a build can be reused, and if not, why (for Pulumi's log).</summary>
/// <param name="Zip">The verified zip to ship; null when the build must run.</param>
public sealed record CacheLookup(string? Zip, string Reason);

[JsonSerializable(typeof(CachedBuild))]
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class CachedBuildJsonContext : JsonSerializerContext;

/// <summary>
/// Function packages by the hash of what they are built from (<see cref="FunctionBuildInputs"/>): <c>&lt;hash&gt;.zip</c> and
/// <c>&lt;hash&gt;.json</c> (its size, SHA-256 and inputs). An entry counts only when its record exists and the zip has
/// exactly that size and hash, so a partial or damaged entry is rebuilt, never shipped. Entries are written under a
/// temporary name and renamed, the record last; builds take a lock file, so two previews at once build once and the second
/// reuses; only the <see cref="Keep"/> most recently used entries are kept.
/// </summary>
public sealed class FunctionBuildCache(string folder)
{
    /// <summary>How many builds the cache keeps (the most recently used).</summary>
    public const int Keep = 4;

    public string Folder => folder;

    private string ZipOf(string hash) => Path.Combine(folder, hash + ".zip");
    private string RecordOf(string hash) => Path.Combine(folder, hash + ".json");

    /// <summary>The stored zip for these inputs if it is whole; otherwise why not, naming what changed since the last build.</summary>
    public CacheLookup Lookup(FunctionBuildInputs inputs)
    {
        if (Read(inputs.Hash) is { } record)
        {
            string zip = ZipOf(inputs.Hash);
            long size = File.Exists(zip) ? new FileInfo(zip).Length : -1;
            if (size != record.Size)
                return new CacheLookup(null, $"the cached build {inputs.ShortHash} is damaged ({(size < 0 ? "its zip is missing" : $"{size} bytes, not {record.Size}")})");
            if (Sha256Of(zip) != record.ZipSha256)
                return new CacheLookup(null, $"the cached build {inputs.ShortHash} is damaged (its zip's SHA-256 differs from the one recorded)");
            File.SetLastWriteTimeUtc(RecordOf(inputs.Hash), DateTime.UtcNow); // most recently used, for Prune
            return new CacheLookup(zip, $"reusing the function build {inputs.ShortHash} (no change to its inputs)");
        }
        CachedBuild? last = Entries().FirstOrDefault();
        if (last is null) return new CacheLookup(null, "no earlier build in the cache");
        IReadOnlyList<string> changes = inputs.ChangesSince(last.Inputs);
        string shown = string.Join(", ", changes.Take(3)) + (changes.Count > 3 ? $" and {changes.Count - 3} more" : "");
        return new CacheLookup(null, $"{shown} since the last build {last.Hash[..12]}");
    }

    /// <summary>Copies a freshly published zip into the cache under its inputs' hash and returns the cached copy.</summary>
    public string Store(FunctionBuildInputs inputs, string publishedZip)
    {
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $"{inputs.Hash}.{Guid.NewGuid():N}.tmp");
        File.Copy(publishedZip, temporary);
        var record = new CachedBuild(inputs.Hash, new FileInfo(temporary).Length, Sha256Of(temporary), DateTimeOffset.UtcNow, inputs.Inputs);
        File.Move(temporary, ZipOf(inputs.Hash), overwrite: true);
        string recordTemporary = temporary + "-record";
        File.WriteAllText(recordTemporary, JsonSerializer.Serialize(record, CachedBuildJsonContext.Default.CachedBuild));
        File.Move(recordTemporary, RecordOf(inputs.Hash), overwrite: true); // last: the entry now counts
        return ZipOf(inputs.Hash);
    }

    /// <summary>Deletes all but the <see cref="Keep"/> most recently used entries, and temporary files a killed build left.</summary>
    public void Prune()
    {
        if (!Directory.Exists(folder)) return;
        foreach (CachedBuild old in Entries().Skip(Keep))
        {
            File.Delete(RecordOf(old.Hash)); // first: the entry stops counting before its zip goes
            File.Delete(ZipOf(old.Hash));
        }
        foreach (string leftover in Directory.EnumerateFiles(folder, "*.tmp*"))
            if (File.GetLastWriteTimeUtc(leftover) < DateTime.UtcNow.AddHours(-1)) File.Delete(leftover);
    }

    /// <summary>
    /// Holds the cache's build lock until disposed, waiting for another process's build to end. The OS releases it if the
    /// process dies. (.NET takes FileShare.None on Unix with an advisory lock that other .NET processes respect.)
    /// </summary>
    public IDisposable Lock(TimeSpan timeout)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "build.lock");
        DateTime giveUp = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < giveUp)
            {
                Thread.Sleep(200);
            }
        }
    }

    /// <summary>Whole entries, most recently used first.</summary>
    private IEnumerable<CachedBuild> Entries() =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.json").OrderByDescending(File.GetLastWriteTimeUtc)
                .Select(path => Read(Path.GetFileNameWithoutExtension(path))).OfType<CachedBuild>()
            : [];

    private CachedBuild? Read(string hash)
    {
        try
        {
            return File.Exists(RecordOf(hash)) ? JsonSerializer.Deserialize(File.ReadAllText(RecordOf(hash)), CachedBuildJsonContext.Default.CachedBuild) : null;
        }
        catch (JsonException)
        {
            return null; // an unreadable record: the entry does not count
        }
    }

    private static string Sha256Of(string file)
    {
        using FileStream stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
