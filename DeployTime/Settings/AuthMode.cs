namespace ItemsApi.DeployTime.Settings;

public enum AuthMode { ApiKey, ApiKeyAndAuthorizer, Iam }
