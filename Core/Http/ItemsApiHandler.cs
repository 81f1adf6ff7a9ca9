using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ItemsApi.Core.Items;
using ItemsApi.Core.Routes;

namespace ItemsApi.Core.Http;

/// <summary>
/// The items API's behaviour, shared by the Lambda function and the local gateway:
/// route dispatch, input validation, status codes and JSON bodies. Bad input is refused before
/// anything is written.
/// </summary>
/// <param name="idempotencyWindow">How long a create's Idempotency-Key is remembered; null: <see cref="Runtime.FunctionContract.DefaultIdempotencyWindowHours"/>.</param>
public sealed class ItemsApiHandler(IItemStore store, CorsPolicy cors, Action<LogEntry>? log = null, TimeSpan? idempotencyWindow = null)
{
    private readonly TimeSpan _idempotencyWindow = idempotencyWindow ?? TimeSpan.FromHours(Runtime.FunctionContract.DefaultIdempotencyWindowHours);

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>An id the generator never issues (the Unix epoch, no random bits): reading it finds nothing.</summary>
    internal const string PrimingId = "00000000000000000000000000";

    /// <summary>
    /// Does the first request's one-time work before the first real request, in the function's init phase (which
    /// Lambda runs at full CPU): one read of an item that cannot exist (the store's client, credentials, endpoint,
    /// signing and the HTTP connection) and, with <paramref name="warmRequestPath"/>, a request answered without the
    /// table first (routing, validation, JSON), which only pays where a JIT compiles that code on first use.
    /// A failure here is logged and ignored: the first real request will meet it again and answer properly.
    /// </summary>
    public async Task PrimeAsync(bool warmRequestPath = true, CancellationToken cancellationToken = default)
    {
        try
        {
            // An id that cannot be ours, answered 404 without the store; the request id names the request in a log line.
            // Stryker disable once Boolean : the request only changes what the JIT has compiled before the first real one (the cold-start benchmark measures that); it reads nothing, stores nothing and logs nothing.
            if (warmRequestPath)
                await HandleAsync(new ApiRequest { Method = HttpMethod.Get.Method, Path = RouteTable.ItemsPath + "/not-an-id", RequestId = nameof(PrimeAsync) }, cancellationToken);
            await store.GetAsync(PrimingId, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            log?.Invoke(LogEntry.PrimeFailed(exception));
        }
    }

    /// <param name="cancellationToken">
    /// The request's deadline (the function's remaining time minus a margin to answer): when it ends the store call, the
    /// answer is a 503 and a log line naming the operation and the time spent, before Lambda's timeout.
    /// </param>
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken cancellationToken = default)
    {
        long started = Stopwatch.GetTimestamp();
        RouteMatch match = request.Match ?? RouteTable.Match(request.Method, request.Path);
        ApiResponse response;
        try
        {
            response = await DispatchAsync(request, match, cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Our deadline, whatever the store threw as it was cancelled. Any other cancellation (an attempt's own timeout
            // inside the SDK) is a dependency failure below.
            log?.Invoke(LogEntry.DeadlineExceeded(request, OperationOf(match, request), Stopwatch.GetElapsedTime(started)));
            response = DependencyError(request, match, DependencyFailureKind.DeadlineExceeded);
        }
        catch (Exception exception) when (DependencyFailure.Classify(exception) is { } kind)
        {
            log?.Invoke(LogEntry.DependencyFailed(request, OperationOf(match, request), exception, Stopwatch.GetElapsedTime(started)));
            response = DependencyError(request, match, kind);
        }
        catch (Exception exception)
        {
            // The client learns only that it failed; the log gets what went wrong.
            log?.Invoke(LogEntry.RequestFailed(request, exception));
            response = Error(request, 500, "Internal server error");
        }
        cors.ApplyTo(response, request.Header("Origin"));
        return response;
    }

    private static string OperationOf(RouteMatch match, ApiRequest request) => match.Route?.OperationId ?? $"{request.Method} {request.Path}";

    /// <summary>
    /// The 503 for a dependency failure: what happened, and for a write whether it was applied (a throttled write was
    /// refused; after a 5xx, a lost answer or the deadline DynamoDB may have applied it) and how the client finds out.
    /// The deadline is a 503 too, not a 504: one "retry later" rule for clients, and 504 keeps meaning what API Gateway
    /// means by it, that the function did not answer at all.
    /// </summary>
    private static ApiResponse DependencyError(ApiRequest request, RouteMatch match, DependencyFailureKind kind)
    {
        string cause = kind switch
        {
            DependencyFailureKind.Throttled => "The item store is over capacity (DynamoDB throttled the request).",
            DependencyFailureKind.Unavailable => "The item store failed or did not answer (DynamoDB).",
            _ => "The item store did not answer in time.",
        };
        // The SDK's last attempt was refused. When an earlier attempt of the same call was applied and its answer lost, the SDK's
        // retry does not end here: the store knows a retried create, claim or replace for its own, and a delete answers 404.
        bool refused = kind == DependencyFailureKind.Throttled;
        string retry = $"retry after {DependencyFailure.RetryAfterSeconds} s";
        string next = match.Route?.Action switch
        {
            // With a key, the retry itself is the check: it answers the item if it was created, and creates it once if not.
            RouteAction.CreateItem when request.Header(RouteTable.IdempotencyKeyHeader) is not null =>
                $"Retry with the same {RouteTable.IdempotencyKeyHeader} after {DependencyFailure.RetryAfterSeconds} s: it answers with the item if it was created and creates it once if not.",
            RouteAction.CreateItem => refused
                ? $"No item was created; {retry}."
                : $"An item may or may not have been created: list the items to check before you {retry}, and send an {RouteTable.IdempotencyKeyHeader} with every create so that a retry cannot create a second item.",
            RouteAction.ReplaceItem => refused
                ? $"The item was not replaced; {retry}."
                : $"The item may or may not have been replaced: GET it and compare its ETag before you {retry}.",
            RouteAction.DeleteItem => refused
                ? $"The item was not deleted; {retry}."
                : $"The item may or may not have been deleted: GET it (404 means it is gone) before you {retry}.",
            _ => $"Nothing was changed; {retry}.",
        };
        ApiResponse response = Error(request, 503, cause + " " + next);
        response.Headers["Retry-After"] = DependencyFailure.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return response;
    }

    private Task<ApiResponse> DispatchAsync(ApiRequest request, RouteMatch match, CancellationToken cancellationToken)
    {
        if (!match.IsKnownPath) return Task.FromResult(Error(request, 404, "Not Found"));
        // Preflight: the stage answers OPTIONS itself (a MOCK integration from the same policy); this answers one that reaches the function anyway.
        if (request.Method == "OPTIONS" && cors.IsEnabled)
            return Task.FromResult(cors.Preflight(request.Header("Origin"), match.AllowedMethods));
        if (!match.IsFound)
        {
            ApiResponse notAllowed = Error(request, 405, $"Method {request.Method} is not allowed on {match.PathTemplate}.");
            notAllowed.Headers["Allow"] = string.Join(", ", match.AllowedMethods);
            return Task.FromResult(notAllowed);
        }

        string? id = match.PathParameters.GetValueOrDefault(RouteTable.ItemIdParameter);
        return match.Route!.Action switch
        {
            RouteAction.CreateItem => CreateAsync(request, cancellationToken),
            RouteAction.ListItems => ListAsync(request, cancellationToken),
            RouteAction.GetItem => GetAsync(request, id!, cancellationToken),
            RouteAction.ReplaceItem => ReplaceAsync(request, id!, cancellationToken),
            RouteAction.DeleteItem => DeleteAsync(request, id!, cancellationToken),
            _ => throw new UnreachableException(), // every RouteAction has its arm above
        };
    }

    private async Task<ApiResponse> CreateAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        string? keyHeader = request.Header(RouteTable.IdempotencyKeyHeader);
        string? key = keyHeader is null ? null : IdempotencyKey.Parse(keyHeader);
        if (keyHeader is not null && key is null) return Error(request, 400, IdempotencyKey.Expected);

        JsonBody.Result body = ReadDocument(request);
        if (!body.IsValid) return Error(request, body.Status, body.Error!);

        StoredItem item;
        if (key is null)
        {
            item = await store.CreateAsync(body.Document!, cancellationToken);
        }
        else
        {
            // The draft's answers: the original 201 for a repeat, 422 for the key with another body, 409 while the first runs.
            KeyClaim claim = await store.CreateOnceAsync(new IdempotencyKey(key, _idempotencyWindow), body.Document!, cancellationToken);
            switch (claim.Status)
            {
                case KeyClaimStatus.DifferentRequest:
                    return Error(request, 422,
                        $"This {RouteTable.IdempotencyKeyHeader} was used with a different body in the last {_idempotencyWindow.TotalHours:0.##} h; send a new key for a new item.");
                case KeyClaimStatus.InFlight:
                    ApiResponse inFlight = Error(request, 409,
                        $"A request with this {RouteTable.IdempotencyKeyHeader} is still being processed; retry it unchanged after Retry-After seconds.");
                    inFlight.Headers["Retry-After"] = Math.Max(1, (int)Math.Ceiling(claim.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                    return inFlight;
            }
            item = claim.Item!;
        }
        ApiResponse response = ItemResponse(201, item);
        response.Headers["Location"] = $"{(request.PublicPath ?? request.Path).TrimEnd('/')}/{item.Id}";
        return response;
    }

    private async Task<ApiResponse> ListAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        int limit = RouteTable.DefaultPageSize;
        if (request.Query.TryGetValue("limit", out string? limitText)
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > RouteTable.MaxPageSize))
            return Error(request, 400, $"limit must be a whole number from 1 to {RouteTable.MaxPageSize}.");

        string? startAfter = null;
        if (request.Query.TryGetValue("nextToken", out string? token) && (startAfter = PageToken.Decode(token)) is null)
            return Error(request, 400, "nextToken is not valid; pass the nextToken of the previous page unchanged.");

        ItemPage page = await store.ListAsync(limit, startAfter, cancellationToken);
        return Json(200, writer =>
        {
            writer.WriteStartArray("items");
            foreach (StoredItem item in page.Items) WriteItem(writer, item);
            writer.WriteEndArray();
            if (page.LastId is null) writer.WriteNull("nextToken");
            else writer.WriteString("nextToken", PageToken.Encode(page.LastId));
        });
    }

    private async Task<ApiResponse> GetAsync(ApiRequest request, string id, CancellationToken cancellationToken)
    {
        StoredItem? item = ItemId.IsValid(id) ? await store.GetAsync(id, cancellationToken) : null;
        return item is null ? ItemNotFound(request) : ItemResponse(200, item);
    }

    private async Task<ApiResponse> ReplaceAsync(ApiRequest request, string id, CancellationToken cancellationToken)
    {
        if (!ItemId.IsValid(id)) return ItemNotFound(request);

        IfMatch.Value ifMatch = IfMatch.Parse(request.Header("If-Match"));
        if (ifMatch.Kind == IfMatch.Kind.Missing)
            return Error(request, 428, "If-Match is required: send the ETag you read, e.g. If-Match: \"1\".");
        if (ifMatch.Kind == IfMatch.Kind.Malformed) return Error(request, 400, IfMatch.Expected);

        JsonBody.Result body = ReadDocument(request);
        if (!body.IsValid) return Error(request, body.Status, body.Error!);

        long? expected = ifMatch.Kind == IfMatch.Kind.Version ? ifMatch.Version : null;
        WriteResult result = await store.ReplaceAsync(id, expected, body.Document!, cancellationToken);
        return result.Status switch
        {
            WriteStatus.Ok => ItemResponse(200, result.Item!),
            WriteStatus.NotFound => ItemNotFound(request),
            _ => VersionMismatch(request),
        };
    }

    private async Task<ApiResponse> DeleteAsync(ApiRequest request, string id, CancellationToken cancellationToken)
    {
        if (!ItemId.IsValid(id)) return ItemNotFound(request);

        IfMatch.Value ifMatch = IfMatch.Parse(request.Header("If-Match"));
        if (ifMatch.Kind == IfMatch.Kind.Malformed) return Error(request, 400, IfMatch.Expected);

        long? expected = ifMatch.Kind == IfMatch.Kind.Version ? ifMatch.Version : null;
        WriteResult result = await store.DeleteAsync(id, expected, cancellationToken);
        return result.Status switch
        {
            WriteStatus.Ok => new ApiResponse { StatusCode = 204 },
            WriteStatus.NotFound => ItemNotFound(request),
            _ => VersionMismatch(request),
        };
    }

    /// <summary>The document a POST or PUT sends: a JSON object, sent as JSON (415 for any other Content-Type).</summary>
    private static JsonBody.Result ReadDocument(ApiRequest request) =>
        request.Header("Content-Type") is { } contentType && !JsonBody.IsJsonContentType(contentType)
            ? JsonBody.Result.Invalid(415, JsonBody.UnsupportedContentType(contentType))
            : JsonBody.Read(request.Body, request.IsBase64Encoded);

    private static ApiResponse ItemNotFound(ApiRequest request) => Error(request, 404, "Item not found.");

    private static ApiResponse VersionMismatch(ApiRequest request) =>
        Error(request, 412, "The item has changed since you read it; GET it again and retry with the new ETag.");

    private static ApiResponse ItemResponse(int status, StoredItem item)
    {
        ApiResponse response = Json(status, writer => WriteItemProperties(writer, item));
        response.Headers["ETag"] = item.ETag;
        return response;
    }

    /// <summary>The JSON shape of an item: metadata, and the client's document under <c>data</c>.</summary>
    public static void WriteItem(Utf8JsonWriter writer, StoredItem item)
    {
        writer.WriteStartObject();
        WriteItemProperties(writer, item);
        writer.WriteEndObject();
    }

    private static void WriteItemProperties(Utf8JsonWriter writer, StoredItem item)
    {
        writer.WriteString("id", item.Id);
        writer.WriteNumber("version", item.Version);
        writer.WriteString("createdAt", item.CreatedAt);
        writer.WriteString("updatedAt", item.UpdatedAt);
        writer.WritePropertyName("data");
        // Checked as it is written: a stored document that is not JSON (written to the table by other means) is a 500,
        // never a broken body sent as application/json.
        writer.WriteRawValue(item.DocumentJson);
    }

    /// <summary>An error answer: <c>{"message": ..., "requestId": ...}</c>.</summary>
    public static ApiResponse Error(ApiRequest request, int status, string message) => Json(status, writer =>
    {
        writer.WriteString("message", message);
        writer.WriteString("requestId", request.RequestId);
    });

    private static ApiResponse Json(int status, Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }
        var response = new ApiResponse { StatusCode = status, Body = Encoding.UTF8.GetString(buffer.WrittenSpan) };
        response.Headers["Content-Type"] = "application/json";
        return response;
    }
}
