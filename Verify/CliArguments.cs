using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using ItemsApi.DeployTime.CommandLine;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.Verify;

/// <summary>The command line, parsed.</summary>
internal sealed record CliArguments
{
    public string? Stack { get; init; }
    public string? Url { get; init; }
    public string? ApiKey { get; init; }
    public string? Token { get; init; }
    public string? Origin { get; init; }
    public TimeSpan? KeyWait { get; init; }
    public bool Json { get; init; }
}

/// <summary>
/// Verify's options (System.CommandLine), each with its default in --help. --stack, --api-key and --token come from
/// <see cref="SharedOption"/>, so they mean what they mean for the local run.
/// </summary>
public sealed class VerifyCommand
{
    public Option<string?> Stack { get; } = Shared(SharedOption.Stack, "verify reads its outputs (pulumi stack output) [default: pulumi's selected stack]");
    public Option<string?> Url { get; } = new("--url")
    {
        HelpName = "url",
        Description = $"the items URL, e.g. https://<api>.execute-api.<region>.amazonaws.com/dev/items [default: the stack's {StackOutputNames.Url} output]",
    };
    public Option<string?> ApiKey { get; } = Shared(SharedOption.ApiKey, $"verify sends it [default: the stack's {StackOutputNames.ApiKey} output]");
    public Option<string?> Token { get; } = Shared(SharedOption.Token, "verify sends it; required in that mode [default: none]");
    public Option<string?> Origin { get; } = new("--origin")
    {
        HelpName = "origin",
        Description = $"the Origin of the CORS preflight check [default: the first of the stack's {StackOutputNames.CorsAllowedOrigins}; with *, a made-up one]",
    };
    public Option<TimeSpan?> KeyWait { get; } = new("--key-wait")
    {
        HelpName = "seconds",
        Description = "retry the first request on 403 for up to <seconds> while a new key comes into effect "
            + $"[default: {new ContractOptions().KeyWait.TotalSeconds.ToString(CultureInfo.InvariantCulture)}]",
        CustomParser = result =>
        {
            string text = result.Tokens[^1].Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds <= 3600) return TimeSpan.FromSeconds(seconds);
            result.AddError($"--key-wait must be a whole number of seconds from 0 to 3600, not '{text}'.");
            return null;
        },
    };
    public Option<bool> Json { get; } = new("--json")
    {
        Description = "print a JSON report on standard output instead of lines [default: off]",
    };
    public RootCommand Root { get; }

    public VerifyCommand()
    {
        Root = new RootCommand($"""
            Runs the items API's HTTP contract against a stage, then deletes what it created. By default the URL, API key,
            {StackOutputNames.AuthMode} and {StackOutputNames.CorsAllowedOrigins} come from `pulumi stack output --json --show-secrets`.
            Exit codes: 0 all checks passed, 1 a check failed, 2 a usage or configuration error.
            """)
        {
            Stack, Url, ApiKey, Token, Origin, KeyWait, Json,
        };
        Root.HelpName = "dotnet run --project Verify --";
        // --version would print the assembly's version, which says nothing about the stage.
        foreach (VersionOption version in Root.Options.OfType<VersionOption>().ToList()) Root.Options.Remove(version);
    }

    internal CliArguments Read(ParseResult parsed) => new()
    {
        Stack = parsed.GetValue(Stack),
        Url = parsed.GetValue(Url),
        ApiKey = parsed.GetValue(ApiKey),
        Token = parsed.GetValue(Token),
        Origin = parsed.GetValue(Origin),
        KeyWait = parsed.GetValue(KeyWait),
        Json = parsed.GetValue(Json),
    };

    /// <summary>A parse error as one line: the first problem and where to look.</summary>
    public static string ErrorLine(ParseResult parsed) => $"{parsed.Errors[0].Message} (--help lists the options)";

    /// <summary>A shared option; <paramref name="role"/> says what verify does with it, and its default.</summary>
    private static Option<string?> Shared(SharedOption shared, string role)
    {
        var option = new Option<string?>(shared.Name) { HelpName = shared.ValueName, Description = $"{shared.Description}; {role}" };
        if (shared.Check is { } check)
            option.Validators.Add(result => { if (result.Tokens.Count > 0 && check(result.Tokens[^1].Value) is { } problem) result.AddError(problem); });
        return option;
    }
}
