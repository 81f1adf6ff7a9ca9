using ItemsApi.DeployTime.Aws;
using ItemsApi.DeployTime.Settings;
using ItemsApi.Infra.Components;
using Pulumi;

namespace ItemsApi.Infra;

/// <summary>
/// What the program reads from the account before it declares anything, at preview and at `up`, as the provider's
/// identity (<see cref="AwsApis"/>), and the settings it then deploys with. A read that fails (no access, a refused
/// call) keeps the safe choice and says so in a warning; none of them fails the preview.
/// </summary>
public sealed record AccountReads
{
    /// <summary>The settings as deployed: config, adjusted by what the account says (each adjustment is logged).</summary>
    public required StageSettings Settings { get; init; }

    /// <summary>
    /// The items function's reserved concurrency for this `up`: reservedConcurrency, held at the provisioned concurrency the
    /// function has now while that is higher (Lambda keeps provisioned inside reserved, and the reservation is updated before
    /// the provisioned config; see <see cref="HeldReservation"/>).
    /// </summary>
    public required int ReservedConcurrency { get; init; }

    public static async Task<AccountReads> ReadAsync(StageSettings settings, Func<string, AwsApis>? aws, string region)
    {
        IAwsAccount? account = Connect(aws, region);

        // 8. The account's real concurrency limit, not the number in config.
        if (settings.StackReservation > 0 || settings.Monitoring)
        {
            (bool answered, int limit) = await TryAsync(account, a => a.LambdaConcurrencyLimitAsync(), "the account's Lambda concurrency limit (GetAccountSettings)",
                $"checking reservations against {ConfigKeys.AccountConcurrencyLimit.Name} ({settings.Alarms.AccountConcurrencyLimit}) from config instead");
            if (answered) settings = settings.WithMeasuredConcurrencyLimit(limit, region);
        }

        // 9. Provisioned concurrency above the new reservation must come down first.
        int reserved = settings.ReservedConcurrency;
        if (reserved > 0)
        {
            (_, int provisionedNow) = await TryAsync(account, a => a.ProvisionedConcurrencyAsync($"{settings.NamePrefix}-items"),
                "the items function's current provisioned concurrency", $"if it is above reservedConcurrency ({reserved}), Lambda refuses the lower reservation: lower provisionedConcurrency in one `up` first");
            reserved = HeldReservation(reserved, provisionedNow, settings);
        }

        // 7. The region's API Gateway CloudWatch role: not taken over from whoever set it.
        if (settings.DeclaresLoggingRole)
        {
            (_, string? current) = await TryAsync(account, a => a.ApiGatewayCloudWatchRoleArnAsync(), "the region's API Gateway CloudWatch role (GetAccount)",
                "declaring the shared role as before");
            if (current is not null && !ApiGatewayLoggingRole.IsSharedRole(current))
            {
                Log.Warn($"the region's API Gateway CloudWatch role is already set to {current}, by another team or tool (Control Tower, say): this stack leaves that " +
                    $"setting alone and its logs go through that role. Set {ConfigKeys.ApiGatewayLoggingRole.Name}: external to say so and silence this warning.");
                settings = settings with { ApiGatewayLoggingRole = LoggingRoleMode.External };
            }
        }

        // 1. The execute-api endpoint goes off only once the custom domain serves the stage.
        if (settings.ExecuteApiEndpointDisabled)
        {
            (_, bool serves) = await TryAsync(account, a => a.CustomDomainServesAsync(settings.CustomDomainName!, settings.StageName),
                $"whether {settings.CustomDomainName} serves the stage", "keeping the execute-api endpoint on");
            if (!serves)
            {
                Log.Warn($"the execute-api endpoint stays on: https://{settings.CustomDomainName} does not serve stage '{settings.StageName}' yet (its certificate, " +
                    $"domain, base path mapping and DNS record are made by this update). Run `pulumi up` again once it answers; that update turns the endpoint off " +
                    $"({ConfigKeys.DisableExecuteApiEndpoint.Name}).");
                settings = settings with { DisableExecuteApiEndpoint = false };
            }
        }

        return new AccountReads { Settings = settings, ReservedConcurrency = reserved };
    }

    /// <summary>
    /// Lambda keeps a function's provisioned concurrency within its reserved concurrency ("You can't allocate more provisioned
    /// concurrency than reserved concurrency for a function", Lambda Developer Guide, provisioned concurrency), and `pulumi up`
    /// updates the function (its reservation) before the alias's provisioned config, which depends on it. So when this `up`
    /// lowers the reservation below what is provisioned now, the reservation holds at that number for this `up`, while the
    /// provisioned config comes down; the next `up` applies the lower reservation.
    /// </summary>
    public static int HeldReservation(int reserved, int provisionedNow, StageSettings settings)
    {
        if (provisionedNow <= reserved) return reserved;
        Log.Warn($"reservedConcurrency {reserved} is below the items function's current provisioned concurrency ({provisionedNow}), which Lambda refuses: this update keeps " +
            $"the reservation at {provisionedNow} while provisioned concurrency goes to {settings.ProvisionedConcurrency}. Run `pulumi up` again to lower the reservation to {reserved}.");
        return provisionedNow;
    }

    private static IAwsAccount? Connect(Func<string, AwsApis>? aws, string region)
    {
        if (aws is null) return null;
        try
        {
            return aws(region).Account;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.Warn($"the program cannot call AWS as the provider's identity ({e.Message}); it reads nothing from the account and keeps the safe choices below.");
            return null;
        }
    }

    /// <summary>One read: whether it answered, and its answer; a failure is a warning naming <paramref name="what"/> and <paramref name="fallback"/>.</summary>
    private static async Task<(bool Answered, T? Value)> TryAsync<T>(IAwsAccount? account, Func<IAwsAccount, Task<T>> read, string what, string fallback)
    {
        if (account is null) return (false, default);
        try
        {
            return (true, await read(account));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.Warn($"could not read {what}: {e.Message}; {fallback}.");
            return (false, default);
        }
    }
}
