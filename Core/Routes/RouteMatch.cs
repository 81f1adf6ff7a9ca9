namespace ItemsApi.Core.Routes;

/// <summary>The outcome of matching a request against the route table.</summary>
public sealed record RouteMatch(Route? Route, IReadOnlyDictionary<string, string> PathParameters, string? PathTemplate, IReadOnlyList<string> AllowedMethods)
{
    public static RouteMatch NotFound { get; } = new(null, new Dictionary<string, string>(), null, []);

    /// <param name="allowedMethods">Every method of the route's path in its table (for <c>Allow</c> and CORS).</param>
    public static RouteMatch Found(Route route, IReadOnlyDictionary<string, string> parameters, IReadOnlyList<string> allowedMethods) =>
        new(route, parameters, route.PathTemplate, allowedMethods);

    public static RouteMatch MethodNotAllowed(string template, IReadOnlyList<string> allowed) =>
        new(null, new Dictionary<string, string>(), template, allowed);

    public bool IsFound => Route is not null;
    public bool IsKnownPath => PathTemplate is not null;
}
