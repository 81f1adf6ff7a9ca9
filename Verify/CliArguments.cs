using System.Globalization;

namespace ItemsApi.Verify;

/// <summary>The command line, parsed; anything unknown or malformed is a <see cref="VerifyConfigException"/> (exit 2).</summary>
internal sealed record CliArguments
{
    public string? Stack { get; init; }
    public string? Url { get; init; }
    public string? ApiKey { get; init; }
    public string? Token { get; init; }
    public string? Origin { get; init; }
    public TimeSpan? KeyWait { get; init; }
    public bool Json { get; init; }
    public bool Help { get; init; }

    private static readonly string[] OptionsWithValues = ["--stack", "--url", "--api-key", "--token", "--origin", "--key-wait"];

    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new CliArguments();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (name is "--json") { parsed = parsed with { Json = true }; continue; }
            if (name is "--help" or "-h") { parsed = parsed with { Help = true }; continue; }
            if (!OptionsWithValues.Contains(name)) throw new VerifyConfigException($"Unknown argument '{name}'.");
            if (i + 1 >= args.Count) throw new VerifyConfigException($"{name} needs a value.");
            string value = args[++i];
            parsed = name switch
            {
                "--stack" => parsed with { Stack = value },
                "--url" => parsed with { Url = value },
                "--api-key" => parsed with { ApiKey = value },
                "--token" => parsed with { Token = value },
                "--origin" => parsed with { Origin = value },
                "--key-wait" => parsed with { KeyWait = Seconds(value) },
                _ => throw new InvalidOperationException($"{name} is in OptionsWithValues but not handled."),
            };
        }
        return parsed;
    }

    private static TimeSpan Seconds(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : throw new VerifyConfigException($"--key-wait must be a whole number of seconds from 0 to 3600, not '{value}'.");
}
