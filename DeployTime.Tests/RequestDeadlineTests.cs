using System.Globalization;
using ItemsApi.Core.Items;
using ItemsApi.Core.Runtime;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Tests;

/// <summary>
/// The times that must fit inside each other: the DynamoDB client's attempts inside the request's deadline, the deadline
/// inside Lambda's timeout (lambdaTimeoutSeconds), that inside API Gateway's 29 s, and the idempotency lease beyond all.
/// </summary>
public sealed class RequestDeadlineTests
{
    private static readonly TimeSpan GatewayTimeout = TimeSpan.FromMilliseconds(ApiDefinition.IntegrationTimeoutMilliseconds);

    /// <summary>Every value the setting accepts.</summary>
    private static IEnumerable<TimeSpan> AllowedLambdaTimeouts() =>
        Enumerable.Range(0, 100).Where(s => ConfigKeys.LambdaTimeoutSeconds.TryParse(s.ToString(CultureInfo.InvariantCulture), out _)).Select(s => TimeSpan.FromSeconds(s));

    [Fact]
    public void At_every_allowed_function_timeout_the_deadline_ends_before_lambdas_timeout_and_api_gateways_29_s()
    {
        TimeSpan[] timeouts = AllowedLambdaTimeouts().ToArray();
        Assert.Equal(TimeSpan.FromSeconds(1), timeouts.Min());
        Assert.All(timeouts, timeout =>
        {
            TimeSpan budget = RequestDeadline.Budget(timeout);
            Assert.True(budget > TimeSpan.Zero, $"no time for the store at {timeout}");
            // The margin is what the function has left to write the 503 and its log line before Lambda stops it.
            Assert.Equal(RequestDeadline.AnswerMargin, timeout - budget);
            Assert.True(budget < GatewayTimeout, $"{budget} reaches API Gateway's {GatewayTimeout}");
        });
    }

    [Fact]
    public void At_the_default_function_timeout_every_attempt_the_client_may_make_fits_in_the_deadline()
    {
        // Every attempt at its limit, and the longest backoff between them; at a shorter timeout the deadline ends it.
        TimeSpan budget = RequestDeadline.Budget(TimeSpan.FromSeconds(ConfigKeys.LambdaTimeoutSeconds.Default));
        Assert.Equal(TimeSpan.FromSeconds(3), DynamoDbClientSettings.LongestBackoff); // up to 1 s, then up to 2 s
        Assert.True(DynamoDbClientSettings.AllAttempts + DynamoDbClientSettings.LongestBackoff <= budget,
            $"{DynamoDbClientSettings.MaxErrorRetry + 1} attempts of {DynamoDbClientSettings.AttemptTimeout} and backoff need more than {budget}");
        Assert.True(DynamoDbClientSettings.ConnectTimeout < DynamoDbClientSettings.AttemptTimeout);
    }

    [Fact]
    public void A_claimed_idempotency_key_is_held_longer_than_any_request_can_run()
    {
        // A retry must not take over the claim of a request that API Gateway is still waiting for.
        Assert.True(IdempotencyKey.InFlightLease > GatewayTimeout);
        Assert.All(AllowedLambdaTimeouts(), timeout => Assert.True(IdempotencyKey.InFlightLease > timeout));
    }

    [Fact]
    public void A_create_that_ran_out_of_time_ends_its_claim_within_the_margin_kept_to_answer()
    {
        // The release runs after the deadline, in the time the function keeps back to write its 503 and log line.
        Assert.True(IdempotencyKey.ReleaseAfterDeadline * 2 <= RequestDeadline.AnswerMargin);
    }

    [Fact]
    public void The_idempotency_window_defaults_to_the_functions_default_and_is_bounded()
    {
        Assert.Equal(FunctionContract.DefaultIdempotencyWindowHours, ConfigKeys.IdempotencyWindowHours.Default);
        Assert.Equal("a whole number from 1 to 168", ConfigKeys.IdempotencyWindowHours.Allowed);
        Assert.False(ConfigKeys.IdempotencyWindowHours.TryParse("0", out _));
        Assert.False(ConfigKeys.IdempotencyWindowHours.TryParse("169", out _));
        Assert.True(ConfigKeys.IdempotencyWindowHours.TryParse("168", out int week) && week == 168);
    }
}
