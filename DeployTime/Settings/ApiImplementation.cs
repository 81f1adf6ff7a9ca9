namespace ItemsApi.DeployTime.Settings;

public enum ApiImplementation { Resources, Component }
