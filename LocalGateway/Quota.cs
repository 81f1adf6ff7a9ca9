using ItemsApi.DeployTime.Gateway;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.LocalGateway;

/// <summary>
/// A usage plan quota: at most <c>limit</c> requests per calendar DAY, WEEK or MONTH in UTC. Weeks start
/// on Sunday, months on the 1st, as API Gateway's quota periods do with offset 0.
/// </summary>
public sealed class Quota(QuotaLimits limits, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private DateTime _periodStart = DateTime.MinValue;
    private int _used;

    public bool TryTake()
    {
        lock (_gate)
        {
            DateTime start = PeriodStart(clock.GetUtcNow().UtcDateTime, limits.Period);
            if (start != _periodStart)
            {
                _periodStart = start;
                _used = 0;
            }
            if (_used >= limits.Limit) return false;
            _used++;
            return true;
        }
    }

    public static DateTime PeriodStart(DateTime utcNow, QuotaPeriod period) => period switch
    {
        QuotaPeriod.Day => utcNow.Date,
        QuotaPeriod.Week => utcNow.Date.AddDays(-(int)utcNow.DayOfWeek),
        _ => new DateTime(utcNow.Year, utcNow.Month, 1, 0, 0, 0, DateTimeKind.Utc),
    };
}
