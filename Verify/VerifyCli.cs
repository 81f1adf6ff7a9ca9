using System.CommandLine;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.Verify;

/// <summary>
/// The command: finds the stage (stack outputs, or --url/--api-key), runs <see cref="StageContract"/> and prints the
/// report. Exit codes: 0 every check passed, 1 a check failed, 2 a usage or configuration error.
/// </summary>
public static class VerifyCli
{
    public const int Passed = 0, Failed = 1, UsageError = 2;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error,
        VerifyEnvironment? environment = null, CancellationToken cancellationToken = default)
    {
        var command = new VerifyCommand();
        command.Root.SetAction((parsed, cancel) => RunAsync(command.Read(parsed), output, error, environment ?? new VerifyEnvironment(), cancel));
        ParseResult parsed = command.Root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            error.WriteLine(VerifyCommand.ErrorLine(parsed));
            return UsageError;
        }
        // --help prints to output and exits 0. Ctrl-C stays with Program.cs, which lets the cleanup run.
        return await parsed.InvokeAsync(new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        }, cancellationToken);
    }

    private static async Task<int> RunAsync(CliArguments arguments, TextWriter output, TextWriter error,
        VerifyEnvironment environment, CancellationToken cancellationToken)
    {
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
