namespace ItemsApi.Core.Settings;

// The closed sets that stage settings choose from. The words users write are in ConfigKeys.

public enum AuthMode { ApiKey, ApiKeyAndAuthorizer, Iam }

public enum ApiImplementation { Resources, Component }

public enum LambdaArchitecture { Arm64, X86_64 }

public enum ExecutionLogLevel { Off, Error, Info }

public enum QuotaPeriod { Day, Week, Month }

/// <summary>How the stage gets the region's API Gateway CloudWatch role, which logging needs.</summary>
public enum LoggingRoleMode { Shared, External }
