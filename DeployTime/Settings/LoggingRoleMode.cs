namespace ItemsApi.DeployTime.Settings;

/// <summary>How the stage gets the region's API Gateway CloudWatch role, which logging needs.</summary>
public enum LoggingRoleMode { Shared, External }
