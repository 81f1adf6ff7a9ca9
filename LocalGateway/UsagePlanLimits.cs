namespace ItemsApi.LocalGateway;

/// <summary>
/// A token bucket, as API Gateway throttles: it holds up to <c>burst</c> tokens, refills at <c>rate</c>
/// per second, and each request takes one.
/// </summary>
public sealed class TokenBucket(double ratePerSecond, int burst, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private double _tokens = burst;
    private long _lastRefill = clock.GetTimestamp();

    public bool TryTake()
    {
        lock (_gate)
        {
            long now = clock.GetTimestamp();
            _tokens = Math.Min(burst, _tokens + clock.GetElapsedTime(_lastRefill, now).TotalSeconds * ratePerSecond);
            _lastRefill = now;
            if (_tokens < 1) return false;
            _tokens -= 1;
            return true;
        }
    }
}

/// <summary>
/// A usage plan quota: at most <c>limit</c> requests per calendar DAY, WEEK or MONTH in UTC. Weeks start
/// on Sunday, months on the 1st, as API Gateway's quota periods do with offset 0.
/// </summary>
public sealed class Quota(int limit, string period, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private DateTime _periodStart = DateTime.MinValue;
    private int _used;

    public bool TryTake()
    {
        lock (_gate)
        {
            DateTime start = PeriodStart(clock.GetUtcNow().UtcDateTime, period);
            if (start != _periodStart)
            {
                _periodStart = start;
                _used = 0;
            }
            if (_used >= limit) return false;
            _used++;
            return true;
        }
    }

    public static DateTime PeriodStart(DateTime utcNow, string period) => period switch
    {
        "DAY" => utcNow.Date,
        "WEEK" => utcNow.Date.AddDays(-(int)utcNow.DayOfWeek),
        "MONTH" => new DateTime(utcNow.Year, utcNow.Month, 1, 0, 0, 0, DateTimeKind.Utc),
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, "DAY, WEEK or MONTH"),
    };
}
