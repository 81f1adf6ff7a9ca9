namespace ItemsApi.Core.Routes;

public enum ParameterLocation { Path, Query, Header }
