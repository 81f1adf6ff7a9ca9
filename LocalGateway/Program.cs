using System.Buffers.Text;
using System.CommandLine;
using System.Security.Cryptography;
using ItemsApi.Core.Auth;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.DeployTime.OpenApi;
using ItemsApi.DeployTime.Packaging;
using ItemsApi.DeployTime.Settings;
using ItemsApi.LocalGateway;
using ItemsApi.DeployTime.Project;

// The local run: `dotnet run --project LocalGateway` (see README). `... -- openapi [file]` writes the OpenAPI document;
// `... -- sync-config` regenerates the config docs from DeployTime/Settings/ConfigKeys.cs; `... -- function-build-key`
// prints the cache key of a stage's function build. `... -- --help` lists the options.
var command = new LocalRunCommand();
command.OpenApi.SetAction(result =>
{
    string file = result.GetValue(command.OpenApiFile)!;
    // The routes do not depend on the stage; the gateway's answers do (401 only with an authorizer): use dev's.
    StackFile devStack = StackFile.Load(ProjectFiles.FindRoot(), LocalRunCommand.DefaultStack);
    StageSettings dev = StageSettings.Load(devStack.Get, LocalRunCommand.DefaultStack, devStack.IsEncrypted);
    // A server entry to edit: the deployed stage's URL with its API id, region and stage as variables.
    var server = OpenApiDocument.DeployedServer(dev.StageName, devStack.AwsRegion ?? "us-east-1");
    File.WriteAllText(file, OpenApiDocument.ToJson(GatewayPolicy.For(dev), server) + Environment.NewLine);
    Console.WriteLine($"Wrote {Path.GetFullPath(file)}");
    return 0;
});
command.SyncConfig.SetAction(_ =>
{
    IReadOnlyList<string> changed = ConfigDocsFiles.Write(ProjectFiles.FindRoot());
    Console.WriteLine(changed.Count == 0 ? "Pulumi.yaml and README.md are up to date." : "Updated " + string.Join(", ", changed.Select(Path.GetFileName)));
    return 0;
});
command.FunctionBuildKey.SetAction(result =>
{
    string root = ProjectFiles.FindRoot();
    string stack = result.GetValue(command.BuildStack)!;
    StackFile stackFile = StackFile.Load(root, stack);
    StageSettings stage = StageSettings.Load(stackFile.Get, stack, stackFile.IsEncrypted);
    Console.WriteLine(FunctionBuildStep.CacheKey(FunctionBuildInputs.Collect(root, stage.FunctionBuild, stage.LambdaArchitecture, DotnetSdk.Find(root))));
    return 0;
});
command.Root.SetAction(RunLocalStageAsync);

ParseResult parsed = command.Root.Parse(args);
if (parsed.Errors.Count > 0)
{
    Console.Error.WriteLine(LocalRunCommand.ErrorLine(parsed));
    return 2;
}

try
{
    // Exceptions reach the handlers below instead of System.CommandLine's stack-trace printer, and Ctrl-C stays with
    // the web host, which stops the gateway and dynalite (System.CommandLine would end the process after 2 s).
    return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
}
catch (IOException exception) when (exception.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    // Kestrel's bind failure: one line, like every other start error, instead of an unhandled exception.
    Console.Error.WriteLine($"Port {parsed.GetValue(command.Port)} on 127.0.0.1 is in use. Stop what listens there, or choose another with --port (--port 0 picks a free one).");
    return 2;
}
catch (Exception exception) when (exception is StageSettingsException or FileNotFoundException)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

async Task<int> RunLocalStageAsync(ParseResult result, CancellationToken cancellationToken)
{
    string stackName = result.GetValue(command.Stack)!;
    StackFile stackFile = StackFile.Load(ProjectFiles.FindRoot(), stackName);
    // The bearer token the local authorizer accepts (used only in authMode apiKey+authorizer).
    string localToken = result.GetValue(command.Token) ?? Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
    StageSettings stage = StageSettings.Load(stackFile.LocalConfig(BearerTokenAuthorizer.HashToken(localToken)), stackName, stackFile.IsEncrypted);

    string apiKey = result.GetValue(command.ApiKey) ?? RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40);
    string? token = stage.AuthMode == AuthMode.ApiKeyAndAuthorizer ? localToken : null;
    string? dataDirectory = result.GetValue(command.DataDirectory);

    await using LocalApiGateway gateway = await LocalApiGateway.StartAsync(new LocalGatewayOptions
    {
        Stage = stage,
        ApiKey = apiKey,
        BearerToken = token,
        Port = result.GetValue(command.Port),
        DataDirectory = dataDirectory,
        DynamoDbEndpoint = result.GetValue(command.DynamoDbEndpoint),
    }, cancellationToken);

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
          Docs:     {gateway.DocsUrl}   (the API reference; "Try it out" uses this key{(token is null ? "" : " and token")})
          OpenAPI:  {gateway.BaseUrl.ToString().TrimEnd('/')}/openapi.json
          DynamoDB: {gateway.DynamoDbEndpoint} ({(dataDirectory is not null ? "data in " + Path.GetFullPath(dataDirectory) : "in memory")})
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
