using System.CommandLine;
using System.CommandLine.Parsing;
using ItemsApi.DeployTime.CommandLine;
using ItemsApi.Core.Runtime;

namespace ItemsApi.LocalGateway;

/// <summary>
/// The local run's command line (System.CommandLine): the options, each with its default in --help, and the
/// subcommands. Program.cs gives each its action. Shared options (--stack, --api-key, --token) come from
/// <see cref="SharedOption"/>, so they mean what they mean for verify.
/// </summary>
public sealed class LocalRunCommand
{
    public const int DefaultPort = 3000;
    public const string DefaultStack = "dev";

    public Option<string> Stack { get; } = Shared<string>(SharedOption.Stack, "the local run behaves like its stage", _ => DefaultStack);
    public Option<int> Port { get; } = new("--port")
    {
        HelpName = "n",
        Description = "listen on 127.0.0.1:<n>; 0 picks a free port",
        DefaultValueFactory = _ => DefaultPort,
        CustomParser = result =>
        {
            string text = result.Tokens[^1].Value;
            if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port) && port <= 65535) return port;
            result.AddError($"--port must be 0 to 65535, not '{text}'.");
            return 0;
        },
    };
    public Option<string?> ApiKey { get; } = Shared<string?>(SharedOption.ApiKey, "the only key the local stage accepts [default: a new random key, printed]");
    public Option<string?> Token { get; } = Shared<string?>(SharedOption.Token, "the local stage accepts it, besides the stack's token hashes [default: a new random token, printed]");
    public Option<string?> DataDirectory { get; } = new("--data-dir")
    {
        HelpName = "dir",
        Description = "keep the data across restarts in <dir> [default: in memory]",
    };
    public Option<string?> DynamoDbEndpoint { get; } = new("--dynamodb-endpoint")
    {
        HelpName = "url",
        Description = $"use DynamoDB Local or another server instead of starting dynalite [default: {FunctionContract.DynamoDbEndpointVariable} if set, else dynalite]",
    };

    public Argument<string> OpenApiFile { get; } = new("file") { Description = "where to write it", DefaultValueFactory = _ => "openapi.json" };
    public Command OpenApi { get; }
    public Command SyncConfig { get; } = new("sync-config", "regenerate Pulumi.yaml's config block and the README's config table from DeployTime/Settings/ConfigKeys.cs");
    public Option<string> BuildStack { get; } = Shared<string>(SharedOption.Stack, "whose functionBuild and lambdaArchitecture", _ => DefaultStack);
    public Command FunctionBuildKey { get; }
    public RootCommand Root { get; }

    public LocalRunCommand()
    {
        OpenApi = new Command("openapi", "write the OpenAPI document to a file") { OpenApiFile };
        FunctionBuildKey = new Command("function-build-key",
            "print the cache key of the stage's function build: the hash of everything the package is built from, as `pulumi preview` computes it (the workflows' actions/cache key)")
            { BuildStack };
        Root = new RootCommand("Runs the items API on 127.0.0.1 as a stage does (key, usage plan, authorizer, validation, CORS), with dynalite as DynamoDB. See README.md, \"Run it locally\".")
        {
            Stack, Port, ApiKey, Token, DataDirectory, DynamoDbEndpoint, OpenApi, SyncConfig, FunctionBuildKey,
        };
        Root.HelpName = "dotnet run --project LocalGateway --";
        // --version would print the assembly's version, which says nothing about the stage.
        foreach (VersionOption version in Root.Options.OfType<VersionOption>().ToList()) Root.Options.Remove(version);
    }

    /// <summary>A parse error as one line: the first problem and where to look.</summary>
    public static string ErrorLine(ParseResult parsed) => $"{parsed.Errors[0].Message} (--help lists the options)";

    /// <summary>A shared option; <paramref name="role"/> says what this command does with it, and its default.</summary>
    private static Option<T> Shared<T>(SharedOption shared, string role, Func<ArgumentResult, T>? defaultValue = null)
    {
        var option = new Option<T>(shared.Name)
        {
            HelpName = shared.ValueName,
            Description = $"{shared.Description}; {role}",
            DefaultValueFactory = defaultValue,
        };
        if (shared.Check is { } check)
            option.Validators.Add(result => { if (result.Tokens.Count > 0 && check(result.Tokens[^1].Value) is { } problem) result.AddError(problem); });
        return option;
    }
}
