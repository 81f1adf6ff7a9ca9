using System.Text.Json;
using ItemsApi.Core.Auth;
using ItemsApi.Core.Items;
using ItemsApi.DeployTime.Packaging;
using ItemsApi.Core.Runtime;
using ItemsApi.DeployTime.Settings;
using ItemsApi.LocalLambda;
using ItemsApi.LocalDynamoDb;

namespace ItemsApi.Functions.Tests;

/// <summary>
/// The Native AOT package run as Lambda's provided.al2023 runs it: the published <c>bootstrap</c>, started with the
/// handler string in <c>_HANDLER</c>, against a Runtime API on loopback and dynalite. Its answers and log lines must be
/// those of the managed build, run the managed runtime's way from this test assembly.
/// </summary>
public sealed class NativeFunctionTests(FunctionEnvironmentFixture dynamoDb) : IClassFixture<FunctionEnvironmentFixture>
{
    [RequiresFact(typeof(NativeAot))]
    public async Task Every_route_and_error_path_answers_as_the_managed_build_does_with_the_same_log_fields()
    {
        string bootstrap = await BootstrapAsync(NativeTarget.RequiredHost);
        (IReadOnlyList<FunctionScenario.Answer> native, IReadOnlyList<string> nativeLog) =
            await RunItemsAsync(FunctionLaunch.Native(bootstrap, FunctionContract.ItemsEntryPoint));
        (IReadOnlyList<FunctionScenario.Answer> managed, IReadOnlyList<string> managedLog) =
            await RunItemsAsync(FunctionLaunch.Managed(typeof(Program).Assembly.Location, FunctionContract.ItemsHandler));

        Assert.Equal(FunctionScenario.ExpectedItemsStatuses, native.ToDictionary(a => a.Step, a => a.Status));
        Assert.Equal(managed, native);
        // One JSON line per request, with the same fields in the same order.
        Assert.Equal(native.Count, nativeLog.Count);
        Assert.Equal(managedLog.Select(FieldNames), nativeLog.Select(FieldNames));
    }

    [RequiresFact(typeof(NativeAot))]
    public async Task The_authorizer_allows_the_known_token_and_refuses_the_rest_as_the_managed_build_does()
    {
        string bootstrap = await BootstrapAsync(NativeTarget.RequiredHost);
        (IReadOnlyList<FunctionScenario.Decision> native, IReadOnlyList<string> nativeLog) =
            await RunAuthorizerAsync(FunctionLaunch.Native(bootstrap, FunctionContract.AuthorizerEntryPoint));
        (IReadOnlyList<FunctionScenario.Decision> managed, _) =
            await RunAuthorizerAsync(FunctionLaunch.Managed(typeof(Program).Assembly.Location, FunctionContract.AuthorizerHandler));

        Assert.Equal(managed, native);
        Assert.True(native[0].Allowed);
        Assert.StartsWith("token-", native[0].ErrorMessageOrPrincipal);
        // API Gateway answers 401 because the error report's errorMessage is exactly "Unauthorized".
        Assert.Equal(4, native.Count); // one allowed token, then the three refusals below
        Assert.All(native.Skip(1), d => Assert.Equal((false, "UnauthorizedException", "Unauthorized"), (d.Allowed, d.ErrorType, d.ErrorMessageOrPrincipal)));
        // One line per refusal, the reason in it and no stack trace (the exception's own ToString survives AOT).
        Assert.Equal(
            new[] { BearerTokenAuthorizer.MissingToken, BearerTokenAuthorizer.MalformedToken, BearerTokenAuthorizer.UnknownToken }
                .Select(reason => $"ItemsApi.Functions.UnauthorizedException: Unauthorized ({reason})"),
            nativeLog.Select(line => Assert.Single(JsonDocument.Parse(line).RootElement.GetProperty("stackTrace").EnumerateArray()).GetString()));
    }

    [RequiresFact(typeof(NativeAot))]
    public async Task A_handler_string_the_binary_does_not_know_stops_it_with_the_two_it_knows()
    {
        string bootstrap = await BootstrapAsync(NativeTarget.RequiredHost);
        ProcessOutcome run = await ProcessRun.RunAsync(bootstrap, [], environment: new Dictionary<string, string?> { ["_HANDLER"] = "ItemsApi.Functions::Wrong::Name" });
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Unknown handler 'ItemsApi.Functions::Wrong::Name'", run.Errors);
        Assert.Contains("'items' or 'authorizer'", run.Errors);
    }

    [RequiresFact(typeof(NativeArm64))]
    public async Task The_arm64_binary_answers_every_route_and_the_authorizer_natively_or_under_qemu()
    {
        string bootstrap = await BootstrapAsync(LambdaArchitecture.Arm64);
        string[] qemu = NativeArm64.Runner;
        (IReadOnlyList<FunctionScenario.Answer> answers, IReadOnlyList<string> log) =
            await RunItemsAsync(FunctionLaunch.Native(bootstrap, FunctionContract.ItemsEntryPoint, qemu));
        Assert.Equal(FunctionScenario.ExpectedItemsStatuses, answers.ToDictionary(a => a.Step, a => a.Status));
        Assert.Equal(answers.Count, log.Count);

        (IReadOnlyList<FunctionScenario.Decision> decisions, _) = await RunAuthorizerAsync(FunctionLaunch.Native(bootstrap, FunctionContract.AuthorizerEntryPoint, qemu));
        Assert.Equal([true, false, false, false], decisions.Select(d => d.Allowed));
    }

    private static async Task<string> BootstrapAsync(LambdaArchitecture architecture) =>
        Path.Combine((await PublishedFunctions.GetAsync(FunctionBuild.NativeAot, architecture)).Folder, FunctionContract.NativeExecutable);

    /// <summary>The items steps against a new empty table; the answers and the JSON log lines.</summary>
    private async Task<(IReadOnlyList<FunctionScenario.Answer>, IReadOnlyList<string>)> RunItemsAsync(FunctionLaunch launch)
    {
        string table = "items-scenario-" + Guid.NewGuid().ToString("N")[..12];
        using var client = ItemsApiFactory.CreateDynamoDbClient(dynamoDb.Endpoint);
        await ItemsTableSchema.EnsureExistsAsync(client, table);
        try
        {
            await using LambdaRuntimeProcess function = await LambdaRuntimeProcess.StartAsync(launch, "JSON", new Dictionary<string, string>
            {
                [FunctionContract.TableNameVariable] = table, [FunctionContract.DynamoDbEndpointVariable] = dynamoDb.Endpoint,
            });
            IReadOnlyList<FunctionScenario.Answer> answers = await FunctionScenario.RunItemsAsync(function);
            return (answers, await function.StopAsync());
        }
        finally
        {
            await client.DeleteTableAsync(table);
        }
    }

    private static async Task<(IReadOnlyList<FunctionScenario.Decision>, IReadOnlyList<string>)> RunAuthorizerAsync(FunctionLaunch launch)
    {
        await using LambdaRuntimeProcess authorizer = await LambdaRuntimeProcess.StartAsync(launch, "JSON", FunctionScenario.AuthorizerEnvironment());
        IReadOnlyList<FunctionScenario.Decision> decisions = await FunctionScenario.RunAuthorizerAsync(authorizer);
        return (decisions, await authorizer.StopAsync());
    }

    private static string FieldNames(string jsonLine) =>
        string.Join(",", JsonDocument.Parse(jsonLine).RootElement.EnumerateObject().Select(p => p.Name));
}
