using System.Diagnostics;
using System.Runtime.CompilerServices;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using Amazon.Lambda.Serialization.SystemTextJson;
using ItemsApi.Core.Http;
using ItemsApi.Core.Items;
using ItemsApi.Core.Routes;
using ItemsApi.Core.Runtime;

namespace ItemsApi.Functions;

/// <summary>
/// The items API behind an API Gateway Lambda proxy integration. Handler string:
/// <see cref="FunctionContract.ItemsHandler"/>. Configuration comes from the environment
/// (<see cref="FunctionContract"/>); all behaviour lives in <see cref="ItemsApiHandler"/>.
/// </summary>
public sealed class ItemsFunction
{
    private readonly ItemsApiHandler _handler;

    /// <summary>Called once per execution environment by the Lambda runtime.</summary>
    public ItemsFunction()
    {
        // Through Lambda's logger, not the console: with the JSON log format its template values become fields.
        _handler = ItemsApiFactory.CreateHandler(Environment.GetEnvironmentVariable,
            entry => LambdaLogger.Log(LogLevel.Error, entry.Template, entry.Values));
        // Init runs at full CPU whatever the memory size; the first invoke runs at the memory's share. So the
        // first-call work is done here (Benchmarks: coldstart): the SDK client's first call in every build, and with a
        // JIT (ReadyToRun) the serializer and the request path too. A native build has no JIT, and warming its code
        // measured no gain, so it skips that part.
        if (Environment.GetEnvironmentVariable(FunctionContract.PrimeOnInitVariable) != "false")
        {
            bool jit = RuntimeFeature.IsDynamicCodeCompiled;
            if (jit) PrimeSerializer();
            _handler.PrimeAsync(warmRequestPath: jit).GetAwaiter().GetResult();
        }
        // With SnapStart, many environments resume from one snapshot of this state.
        Amazon.Lambda.Core.SnapshotRestore.RegisterAfterRestore(() => AfterRestoreAsync(_handler));
    }

    /// <summary>A function over a given handler (tests).</summary>
    internal ItemsFunction(ItemsApiHandler handler) => _handler = handler;

    /// <summary>Round-trips a small event and response through the serializer the runtime uses.</summary>
    private static void PrimeSerializer()
    {
        var serializer = new SourceGeneratorLambdaJsonSerializer<LambdaJsonContext>();
        using var buffer = new MemoryStream();
        serializer.Serialize(new APIGatewayProxyResponse { StatusCode = 204, Headers = new Dictionary<string, string> { ["a"] = "b" } }, buffer);
        buffer.SetLength(0);
        serializer.Serialize(new APIGatewayProxyRequest { HttpMethod = "GET", Path = "/", Headers = new Dictionary<string, string>() }, buffer);
        buffer.Position = 0;
        serializer.Deserialize<APIGatewayProxyRequest>(buffer);
    }

    /// <summary>
    /// Runs in each environment restored from a SnapStart snapshot. The id generator's last random bits were captured
    /// in the snapshot, so every restored copy would continue the same sequence: start it afresh. And the DynamoDB
    /// connection primed during init belongs to the machine the snapshot was taken on: read once more, so the first
    /// request does not meet the dead connection (AWS's SnapStart guidance: re-establish connections after restore).
    /// </summary>
    internal static async ValueTask AfterRestoreAsync(ItemsApiHandler handler)
    {
        ItemId.Generator.Reset();
        await handler.PrimeAsync(warmRequestPath: false);
    }

    public async Task<APIGatewayProxyResponse> HandleAsync(APIGatewayProxyRequest request, ILambdaContext context)
    {
        long started = Stopwatch.GetTimestamp();
        ApiRequest apiRequest = ToApiRequest(request, context);

        // The request's deadline: Lambda's remaining time less the margin to answer, so a slow DynamoDB ends in our JSON 503
        // and log line rather than in Lambda's timeout (whose answer API Gateway turns into a bare 5xx).
        using var deadline = new CancellationTokenSource(RequestDeadline.Budget(context.RemainingTime));
        ApiResponse response = await _handler.HandleAsync(apiRequest, deadline.Token);

        // A message template, not a JSON string of our own: with the JSON log format the runtime writes each value as
        // a top-level field beside Lambda's requestId (a string would land escaped in "message"); with Text it reads
        // as a sentence.
        LogEntry log = LogEntry.Request(apiRequest.Method, request.Resource ?? apiRequest.Path, response.StatusCode,
            Stopwatch.GetElapsedTime(started), apiRequest.RequestId);
        context.Logger.LogInformation(log.Template, log.Values);
        return new APIGatewayProxyResponse
        {
            StatusCode = response.StatusCode,
            Headers = new Dictionary<string, string>(response.Headers),
            Body = response.Body,
            IsBase64Encoded = false,
        };
    }

    internal static ApiRequest ToApiRequest(APIGatewayProxyRequest request, ILambdaContext context) => new()
    {
        Method = request.HttpMethod ?? "",
        Path = request.Path ?? "/",
        // API Gateway has already matched a resource of ours (a stale one after a route was removed, maybe: the
        // match then says 404 or 405); any other resource (a {proxy+}, say) is matched by path.
        Match = request.Resource is { } resource && RouteTable.PathTemplates.Contains(resource)
            ? RouteTable.MatchTemplate(request.HttpMethod ?? "", resource, request.PathParameters is { } parameters ? new Dictionary<string, string>(parameters) : null)
            : null,
        // requestContext.path is what the client called, stage prefix included (/dev/items).
        PublicPath = request.RequestContext?.Path ?? request.Path,
        Query = request.QueryStringParameters is { } query ? new Dictionary<string, string>(query) : new Dictionary<string, string>(),
        Headers = request.Headers is { } headers ? new Dictionary<string, string>(headers) : new Dictionary<string, string>(),
        Body = request.Body,
        IsBase64Encoded = request.IsBase64Encoded,
        RequestId = request.RequestContext?.RequestId ?? context.AwsRequestId,
    };
}
