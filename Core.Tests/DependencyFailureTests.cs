using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using ItemsApi.Core.Http;
using ItemsApi.Core.Items;
using ItemsApi.Core.Routes;

namespace ItemsApi.Core.Tests;

/// <summary>
/// What a client sees when DynamoDB fails: the exact status, Retry-After, body and log line, per failure and route,
/// with a store that throws the SDK's own exception types (as the client raises them once its retries are spent).
/// </summary>
public sealed class DependencyFailureTests
{
    private const string AnId = "01ARZ3NDEKTSV4RRFFQ69G5FAV";

    /// <summary>The SDK's exceptions for DynamoDB's throttling answers: error code and status as DynamoDB sends them.</summary>
    public static TheoryData<string> ThrottlingErrors => ["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded", "AnyThrottle429"];

    public static TheoryData<string> UnavailableErrors => ["InternalServerError", "ServiceUnavailable503", "Network", "AttemptTimeout", "WrappedNetwork"];

    private static Exception Failure(string name) => name switch
    {
        "ProvisionedThroughputExceededException" => new ProvisionedThroughputExceededException("The level of configured provisioned throughput for the table was exceeded.",
            null, ErrorType.Sender, name, "rid", HttpStatusCode.BadRequest),
        "ThrottlingException" => new ThrottlingException("Rate of requests exceeds the allowed throughput.", null, ErrorType.Sender, name, "rid", HttpStatusCode.BadRequest),
        "RequestLimitExceeded" => new RequestLimitExceededException("Throughput exceeds the current throughput limit for your account.",
            null, ErrorType.Sender, name, "rid", HttpStatusCode.BadRequest),
        "AnyThrottle429" => new AmazonDynamoDBException("Too many requests", null, ErrorType.Sender, "TooManyRequests", "rid", HttpStatusCode.TooManyRequests),
        "InternalServerError" => new InternalServerErrorException("Internal server error", null, ErrorType.Receiver, "InternalServerError", "rid", HttpStatusCode.InternalServerError),
        "ServiceUnavailable503" => new AmazonDynamoDBException("Service unavailable", null, ErrorType.Receiver, "ServiceUnavailable", "rid", HttpStatusCode.ServiceUnavailable),
        "Network" => new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)),
        "AttemptTimeout" => new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 2 seconds elapsing."),
        "WrappedNetwork" => new AmazonClientException("Failed to send the request", new IOException("Connection reset by peer")),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(ThrottlingErrors))]
    public void Throttling_is_told_from_other_failures(string error) =>
        Assert.Equal(DependencyFailureKind.Throttled, DependencyFailure.Classify(Failure(error)));

    [Theory]
    [MemberData(nameof(UnavailableErrors))]
    public void Dynamodb_5xx_and_no_answer_are_unavailable(string error) =>
        Assert.Equal(DependencyFailureKind.Unavailable, DependencyFailure.Classify(Failure(error)));

    [Fact]
    public void A_4xx_that_is_not_throttling_is_not_a_dependency_failure_but_a_bug()
    {
        // A validation error or a missing table is ours to fix: retrying cannot help, so it stays a 500.
        Assert.Null(DependencyFailure.Classify(new AmazonDynamoDBException("One or more parameter values were invalid", null, ErrorType.Sender,
            "ValidationException", "rid", HttpStatusCode.BadRequest)));
        Assert.Null(DependencyFailure.Classify(new ResourceNotFoundException("Requested resource not found")));
        Assert.Null(DependencyFailure.Classify(new InvalidOperationException("bug")));
    }

    [Theory]
    [InlineData("GET", "/items", "Nothing was changed; retry after 1 s.")]
    [InlineData("GET", "/items/" + AnId, "Nothing was changed; retry after 1 s.")]
    [InlineData("POST", "/items", "No item was created; retry after 1 s.")]
    [InlineData("PUT", "/items/" + AnId, "The item was not replaced; retry after 1 s.")]
    [InlineData("DELETE", "/items/" + AnId, "The item was not deleted; retry after 1 s.")]
    public async Task A_throttled_call_is_a_503_with_retry_after_that_says_the_write_was_not_applied(string method, string path, string next)
    {
        var log = new List<LogEntry>();
        ApiResponse response = await Send(new FailingStore(Failure("ProvisionedThroughputExceededException")), log, method, path);

        Assert.Equal(503, response.StatusCode);
        Assert.Equal("1", response.Headers["Retry-After"]);
        Assert.Equal("application/json", response.Headers["Content-Type"]);
        Assert.Equal(JsonSerializer.Serialize(new { message = "The item store is over capacity (DynamoDB throttled the request). " + next, requestId = "req-1" }),
            response.Body);
        LogEntry entry = Assert.Single(log);
        Assert.Equal(LogEntry.DependencyFailedTemplate, entry.Template);
        Assert.Equal(RouteTable.Match(method, path).Route!.OperationId, entry.Values[0]);
        Assert.StartsWith("Amazon.DynamoDBv2.Model.ProvisionedThroughputExceededException", (string)entry.Values[2]);
    }

    [Theory]
    [InlineData("GET", "/items/" + AnId, null, "Nothing was changed; retry after 1 s.")]
    [InlineData("POST", "/items", null, "An item may or may not have been created: list the items to check before you retry after 1 s, and send an Idempotency-Key with every create so that a retry cannot create a second item.")]
    [InlineData("POST", "/items", "k-1", "Retry with the same Idempotency-Key after 1 s: it answers with the item if it was created and creates it once if not.")]
    [InlineData("PUT", "/items/" + AnId, null, "The item may or may not have been replaced: GET it and compare its ETag before you retry after 1 s.")]
    [InlineData("DELETE", "/items/" + AnId, null, "The item may or may not have been deleted: GET it (404 means it is gone) before you retry after 1 s.")]
    public async Task A_dynamodb_5xx_is_a_503_that_says_a_write_may_have_been_applied_and_how_to_check(string method, string path, string? key, string next)
    {
        ApiResponse response = await Send(new FailingStore(Failure("InternalServerError")), [], method, path, key);
        Assert.Equal(503, response.StatusCode);
        Assert.Equal("1", response.Headers["Retry-After"]);
        Assert.Equal(JsonSerializer.Serialize(new { message = "The item store failed or did not answer (DynamoDB). " + next, requestId = "req-1" }), response.Body);
    }

    [Fact]
    public async Task The_deadline_ends_a_slow_call_with_a_503_in_time_and_a_log_line_naming_the_operation_and_the_time_spent()
    {
        var log = new List<LogEntry>();
        var handler = new ItemsApiHandler(new HangingStore(), new CorsPolicy(["*"]), log.Add);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var answered = System.Diagnostics.Stopwatch.StartNew();
        ApiResponse response = await handler.HandleAsync(Request("PUT", "/items/" + AnId, null), deadline.Token).WaitAsync(TimeSpan.FromSeconds(10));
        answered.Stop();

        Assert.Equal(503, response.StatusCode);
        Assert.Equal("1", response.Headers["Retry-After"]);
        Assert.Equal("*", response.Headers["Access-Control-Allow-Origin"]);
        Assert.Equal(JsonSerializer.Serialize(new
        {
            message = "The item store did not answer in time. The item may or may not have been replaced: GET it and compare its ETag before you retry after 1 s.",
            requestId = "req-1",
        }), response.Body);
        LogEntry entry = Assert.Single(log);
        Assert.Equal(LogEntry.DeadlineExceededTemplate, entry.Template);
        Assert.Equal("replaceItem", entry.Values[0]);
        Assert.InRange((double)entry.Values[1], 150, answered.Elapsed.TotalMilliseconds);
        Assert.Equal("req-1", entry.Values[2]);
    }

    [Fact]
    public async Task A_cancellation_that_is_not_the_deadline_is_a_dependency_failure_not_a_deadline()
    {
        // The SDK's own attempt timeout cancels too; only the handler's token is the request's deadline.
        var log = new List<LogEntry>();
        ApiResponse response = await Send(new FailingStore(new OperationCanceledException()), log, "GET", "/items");
        Assert.Equal(503, response.StatusCode);
        Assert.Equal(LogEntry.DependencyFailedTemplate, Assert.Single(log).Template);
    }

    private static ApiRequest Request(string method, string path, string? key) => new()
    {
        Method = method,
        Path = path,
        Body = method is "POST" or "PUT" ? "{}" : null,
        Headers = new Dictionary<string, string>
        {
            ["If-Match"] = "\"1\"",
            ["Origin"] = "https://app.example.com",
        }.Concat(key is null ? [] : [new(RouteTable.IdempotencyKeyHeader, key)]).ToDictionary(),
        RequestId = "req-1",
    };

    private static Task<ApiResponse> Send(IItemStore store, List<LogEntry> log, string method, string path, string? key = null) =>
        new ItemsApiHandler(store, CorsPolicy.Disabled, log.Add).HandleAsync(Request(method, path, key));

    /// <summary>Every call fails with one exception, as the SDK throws it.</summary>
    private sealed class FailingStore(Exception failure) : IItemStore
    {
        public Task<StoredItem> CreateAsync(string documentJson, CancellationToken cancellationToken = default) => throw failure;
        public Task<StoredItem?> GetAsync(string id, CancellationToken cancellationToken = default) => throw failure;
        public Task<ItemPage> ListAsync(int limit, string? startAfterId, CancellationToken cancellationToken = default) => throw failure;
        public Task<WriteResult> ReplaceAsync(string id, long? expectedVersion, string documentJson, CancellationToken cancellationToken = default) => throw failure;
        public Task<WriteResult> DeleteAsync(string id, long? expectedVersion, CancellationToken cancellationToken = default) => throw failure;
        public Task<KeyClaim> ClaimAsync(IdempotencyKey key, string documentJson, CancellationToken cancellationToken = default) => throw failure;
        public Task<StoredItem> CompleteAsync(KeyClaim claim, CancellationToken cancellationToken = default) => throw failure;
    }

    /// <summary>Every call waits until it is cancelled, like DynamoDB that never answers.</summary>
    private sealed class HangingStore : IItemStore
    {
        private static async Task<T> Hang<T>(CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new System.Diagnostics.UnreachableException();
        }
        public Task<StoredItem> CreateAsync(string documentJson, CancellationToken cancellationToken = default) => Hang<StoredItem>(cancellationToken);
        public Task<StoredItem?> GetAsync(string id, CancellationToken cancellationToken = default) => Hang<StoredItem?>(cancellationToken);
        public Task<ItemPage> ListAsync(int limit, string? startAfterId, CancellationToken cancellationToken = default) => Hang<ItemPage>(cancellationToken);
        public Task<WriteResult> ReplaceAsync(string id, long? expectedVersion, string documentJson, CancellationToken cancellationToken = default) => Hang<WriteResult>(cancellationToken);
        public Task<WriteResult> DeleteAsync(string id, long? expectedVersion, CancellationToken cancellationToken = default) => Hang<WriteResult>(cancellationToken);
        public Task<KeyClaim> ClaimAsync(IdempotencyKey key, string documentJson, CancellationToken cancellationToken = default) => Hang<KeyClaim>(cancellationToken);
        public Task<StoredItem> CompleteAsync(KeyClaim claim, CancellationToken cancellationToken = default) => Hang<StoredItem>(cancellationToken);
    }
}
