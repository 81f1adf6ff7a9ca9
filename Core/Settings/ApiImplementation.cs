namespace ItemsApi.Core.Settings;

public enum ApiImplementation { Resources, Component }
