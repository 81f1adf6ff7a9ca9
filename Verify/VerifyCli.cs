using ItemsApi.Core.Settings;

namespace ItemsApi.Verify;

/// <summary>
/// The command: finds the stage (stack outputs, or --url/--api-key), runs <see cref="StageContract"/> and prints the
/// report. Exit codes: 0 every check passed, 1 a check failed, 2 a usage or configuration error.
/// </summary>
public static class VerifyCli
{
    public const int Passed = 0, Failed = 1, UsageError = 2;

    public const string Usage = """
        Usage: dotnet run --project Verify -- [options]

        Runs the items API's HTTP contract against a stage, then deletes what it created.
        By default the URL, API key, authMode and corsAllowedOrigins come from
        `pulumi stack output --json --show-secrets`.

        Options:
          --stack <name>       read the outputs of this stack (passed to pulumi as --stack)
          --url <url>          the items URL, e.g. https://<api>.execute-api.<region>.amazonaws.com/dev/items
          --api-key <key>      the API key (x-api-key)
          --token <token>      the bearer token, needed in authMode apiKey+authorizer
          --origin <origin>    the Origin for the CORS preflight check (default: the first configured origin)
          --key-wait <s>       retry the first request on 403 for up to <s> seconds while a new key comes
                               into effect (default: 30)
          --json               print a JSON report on standard output instead of lines
        Exit codes: 0 all checks passed, 1 a check failed, 2 usage or configuration error.
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error,
        VerifyEnvironment? environment = null, CancellationToken cancellationToken = default)
    {
        environment ??= new VerifyEnvironment();
        CliArguments arguments;
        try
        {
            arguments = CliArguments.Parse(args);
        }
        catch (VerifyConfigException exception)
        {
            error.WriteLine(exception.Message);
            error.WriteLine(Usage);
            return UsageError;
        }
        if (arguments.Help)
        {
            output.WriteLine(Usage);
            return Passed;
        }

        // No redirects: the stage never sends one, and following it would send a request the count does not see.
        HttpMessageHandler handler = environment.Handler ?? new SocketsHttpHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler, disposeHandler: environment.Handler is null) { Timeout = environment.RequestTimeout };
        ContractOptions options = environment.Options with
        {
            KeyWait = arguments.KeyWait ?? environment.Options.KeyWait,
            OnCheck = arguments.Json ? null : check => ReportWriter.WriteCheck(output, check),
        };
        try
        {
            StageTarget target = await TargetAsync(arguments, environment, cancellationToken);
            ContractReport report = await StageContract.RunAsync(target, http, options, cancellationToken);
            if (arguments.Json) ReportWriter.WriteJson(output, report);
            else ReportWriter.WriteSummary(output, report);
            return report.Passed ? Passed : Failed;
        }
        catch (VerifyConfigException exception)
        {
            error.WriteLine(exception.Message);
            return UsageError;
        }
    }

    /// <summary>
    /// The stage from the options, completed by the stack's outputs. pulumi is asked only when the URL or key is
    /// missing, or a stack is named: against the local run, --url and --api-key are enough.
    /// </summary>
    private static async Task<StageTarget> TargetAsync(CliArguments arguments, VerifyEnvironment environment, CancellationToken cancellationToken)
    {
        StackOutputs? stack = arguments.Url is null || arguments.ApiKey is null || arguments.Stack is not null
            ? await StackOutputs.ReadAsync(arguments.Stack, environment.SearchPath, cancellationToken)
            : null;

        string url = arguments.Url ?? stack?.Url ?? throw new VerifyConfigException("The stack has no url output: pass --url.");
        string apiKey = arguments.ApiKey ?? stack?.ApiKey ?? throw new VerifyConfigException("The stack has no apiKey output: pass --api-key.");
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? itemsUrl) || itemsUrl.Scheme is not ("http" or "https"))
            throw new VerifyConfigException($"The URL must be an absolute http(s) URL, not '{url}'.");

        // Without an authMode output, a token given means the authorizer is on.
        AuthMode authMode = arguments.Token is null ? AuthMode.ApiKey : AuthMode.ApiKeyAndAuthorizer;
        if (stack?.AuthMode is { } word && !ConfigKeys.AuthMode.TryParse(word, out authMode))
            throw new VerifyConfigException($"The stack output authMode is '{word}'; verify knows {string.Join(", ", ConfigKeys.AuthMode.Words)}.");

        return new StageTarget
        {
            ItemsUrl = itemsUrl,
            ApiKey = apiKey,
            BearerToken = arguments.Token,
            AuthMode = authMode,
            CorsAllowedOrigins = stack?.CorsAllowedOrigins,
            Origin = arguments.Origin,
        };
    }
}
