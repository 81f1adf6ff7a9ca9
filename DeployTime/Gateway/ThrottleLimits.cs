namespace ItemsApi.DeployTime.Gateway;

/// <summary>A token bucket's limits: a steady rate per second and a burst.</summary>
public sealed record ThrottleLimits(double RatePerSecond, int Burst);
