using ItemsApi.DeployTime.Gateway;

namespace ItemsApi.LocalGateway;

/// <summary>
/// A token bucket, as API Gateway throttles: it holds up to <c>burst</c> tokens, refills at <c>rate</c>
/// per second, and each request takes one.
/// </summary>
public sealed class TokenBucket(ThrottleLimits limits, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private double _tokens = limits.Burst;
    private long _lastRefill = clock.GetTimestamp();

    public bool TryTake()
    {
        lock (_gate)
        {
            long now = clock.GetTimestamp();
            _tokens = Math.Min(limits.Burst, _tokens + clock.GetElapsedTime(_lastRefill, now).TotalSeconds * limits.RatePerSecond);
            _lastRefill = now;
            if (_tokens < 1) return false;
            _tokens -= 1;
            return true;
        }
    }
}
