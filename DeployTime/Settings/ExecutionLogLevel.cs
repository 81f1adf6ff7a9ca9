namespace ItemsApi.DeployTime.Settings;

public enum ExecutionLogLevel { Off, Error, Info }
