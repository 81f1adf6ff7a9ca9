namespace ItemsApi.Core.Settings;

public enum ExecutionLogLevel { Off, Error, Info }
