using System.Buffers.Text;
using System.Security.Cryptography;
using ItemsApi.Core.Auth;
using ItemsApi.Core.Gateway;
using ItemsApi.Core.OpenApi;
using ItemsApi.Core.Settings;
using ItemsApi.LocalGateway;

// The local run: `dotnet run --project LocalGateway` (see README). `... -- openapi [file]` writes the OpenAPI document;
// `... -- sync-config` regenerates the config docs from Core/Settings/ConfigKeys.cs.
const string Usage = """
    Usage: dotnet run --project LocalGateway -- [options]
           dotnet run --project LocalGateway -- openapi [file]      (default file: openapi.json)
           dotnet run --project LocalGateway -- sync-config         (regenerate Pulumi.yaml's config block and the README's config table)

    Options:
      --stack <name>             behave like stack <name>, from Pulumi.<name>.yaml (default: dev)
      --port <n>                 listen on 127.0.0.1:<n> (default: 3000; 0 picks a free port)
      --api-key <value>          the API key to accept (default: a new random key, printed)
      --token <value>            bearer token for authMode apiKey+authorizer (default: a new random token, printed)
      --data-dir <dir>           keep data across restarts in <dir> (default: in memory)
      --dynamodb-endpoint <url>  use DynamoDB Local or another server instead of starting dynalite
                                 (also read from DYNAMODB_ENDPOINT)
    """;

try
{
    if (args.Length > 0 && args[0] == "openapi")
    {
        string file = args.Length > 1 ? args[1] : "openapi.json";
        // The routes do not depend on the stage; the gateway's answers do (401 only with an authorizer): use dev's.
        StackFile devStack = StackFile.Load(ProjectFiles.FindRoot(), "dev");
        StageSettings dev = StageSettings.Load(devStack.Get, "dev");
        // A server entry to edit: the deployed stage's URL with its API id, region and stage as variables.
        var server = OpenApiDocument.DeployedServer(dev.StageName, devStack.AwsRegion ?? "us-east-1");
        File.WriteAllText(file, OpenApiDocument.ToJson(GatewayPolicy.For(dev), server) + Environment.NewLine);
        Console.WriteLine($"Wrote {Path.GetFullPath(file)}");
        return 0;
    }

    if (args.Length > 0 && args[0] == "sync-config")
    {
        IReadOnlyList<string> changed = ConfigDocsFiles.Write(ProjectFiles.FindRoot());
        Console.WriteLine(changed.Count == 0 ? "Pulumi.yaml and README.md are up to date." : "Updated " + string.Join(", ", changed.Select(Path.GetFileName)));
        return 0;
    }

    Dictionary<string, string> options = ParseOptions(args);
    string stackName = options.GetValueOrDefault("stack", "dev");
    StackFile stackFile = StackFile.Load(ProjectFiles.FindRoot(), stackName);
    // The bearer token the local authorizer accepts (used only in authMode apiKey+authorizer).
    string localToken = options.GetValueOrDefault("token")
        ?? Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
    StageSettings stage = StageSettings.Load(stackFile.LocalConfig(BearerTokenAuthorizer.HashToken(localToken)), stackName);

    string apiKey = options.GetValueOrDefault("api-key") ?? RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40);
    string? token = stage.AuthMode == AuthMode.ApiKeyAndAuthorizer ? localToken : null;

    await using LocalApiGateway gateway = await LocalApiGateway.StartAsync(new LocalGatewayOptions
    {
        Stage = stage,
        ApiKey = apiKey,
        BearerToken = token,
        Port = int.Parse(options.GetValueOrDefault("port", "3000")),
        DataDirectory = options.GetValueOrDefault("data-dir"),
        DynamoDbEndpoint = options.GetValueOrDefault("dynamodb-endpoint"),
    });

    Console.WriteLine($"""
        Items API, running locally as stage '{stage.StageName}' ({Path.GetFileName(stackFile.Path)}, authMode {ConfigKeys.AuthMode.WordFor(stage.AuthMode)})
          URL:      {gateway.ItemsUrl}
          API key:  {apiKey}
        """);
    if (token is not null)
        Console.WriteLine($"  Token:    {token}   (send Authorization: Bearer <token>; SHA-256 {BearerTokenAuthorizer.HashToken(token)})");
    if (stage.AuthMode == AuthMode.Iam)
        Console.WriteLine("  Note:     authMode iam: SigV4 signatures are not checked locally; only the API key is.");
    Console.WriteLine($"""
          OpenAPI:  {gateway.BaseUrl.ToString().TrimEnd('/')}/openapi.json
          DynamoDB: {gateway.DynamoDbEndpoint} ({(options.TryGetValue("data-dir", out string? dataDir) ? "data in " + Path.GetFullPath(dataDir) : "in memory")})
          Limits:   {stage.UsagePlanRateLimit}/s, burst {stage.UsagePlanBurstLimit}, {stage.QuotaLimit} per {stage.QuotaPeriod}

        Try: curl -H 'x-api-key: {apiKey}'{(token is null ? "" : $" -H 'Authorization: Bearer {token}'")} {gateway.ItemsUrl}
        Access log (one JSON line per request) follows. Press Ctrl-C to stop.
        """);

    if (await gateway.WaitUntilStoppedAsync() is { } failure)
    {
        Console.Error.WriteLine(failure);
        return 1;
    }
    Console.WriteLine("Stopping...");
    return 0;
}
catch (IOException exception) when (exception.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    // Kestrel's bind failure: one line, like every other start error, instead of an unhandled exception.
    Console.Error.WriteLine($"Port {PortOf(args)} on 127.0.0.1 is in use. Stop what listens there, or choose another with --port (--port 0 picks a free one).");
    return 2;
}
catch (Exception exception) when (exception is StageSettingsException or FileNotFoundException or ArgumentException or FormatException)
{
    Console.Error.WriteLine(exception.Message);
    if (exception is ArgumentException or FormatException) Console.Error.WriteLine(Usage);
    return 2;
}

static string PortOf(string[] args) => ParseOptions(args).GetValueOrDefault("port", "3000");

static Dictionary<string, string> ParseOptions(string[] args)
{
    string[] known = ["stack", "port", "api-key", "token", "data-dir", "dynamodb-endpoint"];
    var options = new Dictionary<string, string>();
    for (int i = 0; i < args.Length; i++)
    {
        string name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : "";
        if (!known.Contains(name)) throw new ArgumentException($"Unknown argument '{args[i]}'.");
        if (i + 1 >= args.Length) throw new ArgumentException($"--{name} needs a value.");
        options[name] = args[++i];
    }
    if (options.TryGetValue("port", out string? port) && (!int.TryParse(port, out int number) || number is < 0 or > 65535))
        throw new ArgumentException($"--port must be 0 to 65535, not '{port}'.");
    if (options.TryGetValue("api-key", out string? key) && key.Length < 20)
        throw new ArgumentException("--api-key must be at least 20 characters, as API Gateway requires.");
    return options;
}
