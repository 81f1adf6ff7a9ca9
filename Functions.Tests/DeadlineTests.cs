using System.Diagnostics;
using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.TestUtilities;
using ItemsApi.Core.Http;
using ItemsApi.Core.Items;
using ItemsApi.Core.Runtime;

namespace ItemsApi.Functions.Tests;

/// <summary>A DynamoDB that never answers: the function answers a JSON 503 before Lambda's timeout, and logs it.</summary>
public sealed class DeadlineTests
{
    [Fact]
    public async Task A_store_that_never_answers_ends_in_a_503_before_lambdas_timeout_with_the_deadline_log_line()
    {
        var log = new List<LogEntry>();
        var function = new ItemsFunction(new ItemsApiHandler(new SilentStore(), CorsPolicy.Disabled, log.Add));
        string requestId = Guid.NewGuid().ToString();
        var request = LambdaEvents.Deserialize<APIGatewayProxyRequest>(
            ApiGatewayEvents.ProxyRequest("GET", "/items/{id}", "/items/01ARZ3NDEKTSV4RRFFQ69G5FAV", requestId, null, "01ARZ3NDEKTSV4RRFFQ69G5FAV", null, "", false));
        TimeSpan lambdaTimeout = RequestDeadline.AnswerMargin + TimeSpan.FromMilliseconds(300);
        var context = new TestLambdaContext { AwsRequestId = "lambda-1", Logger = new RecordingLambdaLogger(), RemainingTime = lambdaTimeout };

        // A first request compiles the path (JIT), which a loaded test host can take longer than the margin to do; the
        // margin is for writing an answer with warm code. Its log lines are left out of what is checked below.
        await function.HandleAsync(request, new TestLambdaContext { AwsRequestId = "warm-up", Logger = new RecordingLambdaLogger(), RemainingTime = lambdaTimeout });
        log.Clear();

        var clock = Stopwatch.StartNew();
        APIGatewayProxyResponse response = await function.HandleAsync(request, context).WaitAsync(TimeSpan.FromSeconds(30));
        clock.Stop();

        Assert.True(clock.Elapsed < lambdaTimeout, $"answered after {clock.Elapsed}, past the function's {lambdaTimeout}");
        Assert.Equal(503, response.StatusCode);
        Assert.Equal("1", response.Headers["Retry-After"]);
        Assert.Equal("The item store did not answer in time. Nothing was changed; retry after 1 s.",
            JsonDocument.Parse(response.Body).RootElement.GetProperty("message").GetString());
        LogEntry deadline = Assert.Single(log);
        Assert.Equal(LogEntry.DeadlineExceededTemplate, deadline.Template);
        Assert.Equal("getItem", deadline.Values[0]);
        Assert.InRange((double)deadline.Values[1], 250, lambdaTimeout.TotalMilliseconds);
        Assert.Equal(503, Assert.Single(((RecordingLambdaLogger)context.Logger).Entries).Values[2]);
    }

    /// <summary>Every call waits until it is cancelled.</summary>
    private sealed class SilentStore : IItemStore
    {
        private static async Task<T> Wait<T>(CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new UnreachableException();
        }
        public Task<StoredItem> CreateAsync(string documentJson, CancellationToken cancellationToken = default) => Wait<StoredItem>(cancellationToken);
        public Task<StoredItem?> GetAsync(string id, CancellationToken cancellationToken = default) => Wait<StoredItem?>(cancellationToken);
        public Task<ItemPage> ListAsync(int limit, string? startAfterId, CancellationToken cancellationToken = default) => Wait<ItemPage>(cancellationToken);
        public Task<WriteResult> ReplaceAsync(string id, long? expectedVersion, string documentJson, CancellationToken cancellationToken = default) => Wait<WriteResult>(cancellationToken);
        public Task<WriteResult> DeleteAsync(string id, long? expectedVersion, CancellationToken cancellationToken = default) => Wait<WriteResult>(cancellationToken);
        public Task<KeyClaim> ClaimAsync(IdempotencyKey key, string documentJson, CancellationToken cancellationToken = default) => Wait<KeyClaim>(cancellationToken);
        public Task<StoredItem> CompleteAsync(KeyClaim claim, CancellationToken cancellationToken = default) => Wait<StoredItem>(cancellationToken);
    }
}
