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
