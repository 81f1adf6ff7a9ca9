using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Gateway;

/// <summary>A usage plan quota: requests per key per calendar period (UTC, offset 0).</summary>
public sealed record QuotaLimits(int Limit, QuotaPeriod Period);
