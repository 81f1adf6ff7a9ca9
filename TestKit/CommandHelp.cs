namespace ItemsApi.TestKit;

/// <summary>What a command line's --help says of each option, for the local run's and verify's.</summary>
public static class CommandHelp
{
    /// <summary>Each option (as help writes it: "--port &lt;n&gt;") stands on one line of <paramref name="help"/>, ending in its default.</summary>
    public static void AssertEachOptionHasADefault(string help, IReadOnlyList<string> options)
    {
        Assert.NotEmpty(options);
        foreach (string option in options)
        {
            string line = Assert.Single(help.Split('\n'), l => l.TrimStart().StartsWith(option + " ", StringComparison.Ordinal));
            Assert.Matches(@"\[default: [^\]]+\]\s*$", line);
        }
    }
}
