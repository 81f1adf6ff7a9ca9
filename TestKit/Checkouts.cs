namespace ItemsApi.TestKit;

/// <summary>A checkout of some of the repository's files in a folder of its own, to build or hash without touching the real one.</summary>
public static class Checkouts
{
    /// <summary>Copies each file (a path relative to both folders) from <paramref name="root"/> to <paramref name="copy"/>, replacing what is there.</summary>
    public static void CopyFiles(string root, string copy, IEnumerable<string> files)
    {
        foreach (string file in files)
        {
            string to = Path.Combine(copy, file);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(Path.Combine(root, file), to, overwrite: true);
        }
    }
}
