namespace ItemsApi.Core.Settings;

public enum AuthMode { ApiKey, ApiKeyAndAuthorizer, Iam }
