using ItemsApi.Core.Auth;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Tests;

/// <summary>
/// Issue 26, fault 11: API Gateway calls a Lambda authorizer before it checks the API key, so callers without a key make
/// it run. It gets its own small memory and a reserved concurrency, and that reservation counts, with the items function's,
/// against Lambda's rule that a reservation may not leave the account fewer than 100 unreserved executions
/// (PutFunctionConcurrency: "the account's UnreservedConcurrentExecutions can't go below 100").
/// </summary>
public sealed class AuthorizerCostTests
{
    private static readonly string Hash = BearerTokenAuthorizer.HashToken("a-token");

    private static StageSettings Load(params (string Key, string Value)[] values) =>
        StageSettings.Load(key => values.FirstOrDefault(v => v.Key == key).Value, "dev");

    private static StageSettings Authorizer(params (string Key, string Value)[] values) =>
        Load([("authMode", "apiKey+authorizer"), ("authorizerTokenHashes", Hash), .. values]);

    private static string ErrorFor(params (string Key, string Value)[] values) =>
        Assert.Throws<StageSettingsException>(() => Authorizer(values)).Message;

    [Fact]
    public void The_authorizer_is_small_and_capped_by_default_whatever_the_items_function_gets()
    {
        StageSettings settings = Authorizer(("lambdaMemoryMb", "1024"));
        Assert.Equal(128, settings.AuthorizerMemoryMb);
        Assert.Equal(10, settings.AuthorizerReservation);
        Assert.Equal(1024, settings.LambdaMemoryMb);
        Assert.Equal(0, Load().AuthorizerReservation); // no authorizer, no reservation
        Assert.Single(Assert.Throws<StageSettingsException>(() => Authorizer(("authorizerMemoryMb", "2048"))).Errors);
    }

    [Fact]
    public void The_items_and_authorizer_reservations_together_must_leave_the_unreserved_hundred()
    {
        Assert.Equal(910, Authorizer(("reservedConcurrency", "890"), ("authorizerReservedConcurrency", "20"), ("accountConcurrencyLimit", "1010")).StackReservation);
        Assert.Contains("items-api:authorizerReservedConcurrency = 20 is not valid; expected at most 10: accountConcurrencyLimit (1000) minus the 100 executions Lambda keeps unreserved, minus the items function's 890",
            ErrorFor(("reservedConcurrency", "890"), ("authorizerReservedConcurrency", "20")));
        // Provisioned concurrency without a reservation is drawn from the same pool.
        Assert.Contains("items-api:authorizerReservedConcurrency = 10 is not valid; expected at most 5",
            ErrorFor(("provisionedConcurrency", "895"), ("snapStart", "false")));
        Assert.Contains("expected 0 (no ceiling on the authorizer): with accountConcurrencyLimit 100",
            ErrorFor(("accountConcurrencyLimit", "100")));
        Assert.Equal(0, Authorizer(("accountConcurrencyLimit", "100"), ("authorizerReservedConcurrency", "0")).StackReservation);
    }

    [Fact]
    public void The_measured_account_limit_is_checked_with_the_authorizers_reservation()
    {
        StageSettings settings = Authorizer();
        Assert.Contains("authorizerReservedConcurrency = 10 is not valid",
            Assert.Throws<StageSettingsException>(() => settings.WithMeasuredConcurrencyLimit(105, "eu-west-1")).Message);
        Assert.Equal(110, settings.WithMeasuredConcurrencyLimit(110, "eu-west-1").Alarms.AccountConcurrencyLimit);
    }
}
