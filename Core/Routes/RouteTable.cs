namespace ItemsApi.Core.Routes;

/// <summary>What a route does; the request handler dispatches on it.</summary>
public enum RouteAction { CreateItem, ListItems, GetItem, ReplaceItem, DeleteItem }

/// <summary>One HTTP method on one path template, e.g. <c>PUT /items/{id}</c>.</summary>
/// <param name="RequiresJsonObjectBody">The gateway rejects the request with 400 unless the body is a JSON object.</param>
/// <param name="SuccessStatus">The status a successful call returns (documented in the OpenAPI export).</param>
public sealed record Route(
    string Method,
    string PathTemplate,
    RouteAction Action,
    string Summary,
    bool RequiresJsonObjectBody,
    int SuccessStatus)
{
    /// <summary>Path parameter names in template order, e.g. <c>["id"]</c> for <c>/items/{id}</c>.</summary>
    public IReadOnlyList<string> PathParameters =>
        RouteTable.Segments(PathTemplate).Where(RouteTable.IsParameter).Select(s => s[1..^1]).ToArray();

    public override string ToString() => $"{Method} {PathTemplate}";
}

/// <summary>
/// The single source of truth for the API's routes. The Pulumi stack (resources, methods, permissions),
/// the function's dispatch, the local gateway and the OpenAPI export all read this table:
/// adding a route is one line here plus its action in <see cref="Http.ItemsApiHandler"/>.
/// </summary>
public static class RouteTable
{
    public static IReadOnlyList<Route> All { get; } =
    [
        new("POST", "/items", RouteAction.CreateItem, "Create an item from a JSON object", RequiresJsonObjectBody: true, SuccessStatus: 201),
        new("GET", "/items", RouteAction.ListItems, "List items, one page at a time", RequiresJsonObjectBody: false, SuccessStatus: 200),
        new("GET", "/items/{id}", RouteAction.GetItem, "Read one item", RequiresJsonObjectBody: false, SuccessStatus: 200),
        new("PUT", "/items/{id}", RouteAction.ReplaceItem, "Replace an item's document (If-Match required)", RequiresJsonObjectBody: true, SuccessStatus: 200),
        new("DELETE", "/items/{id}", RouteAction.DeleteItem, "Delete an item (If-Match optional)", RequiresJsonObjectBody: false, SuccessStatus: 204),
    ];

    /// <summary>Every distinct path template, parents before children (the REST resource tree).</summary>
    public static IReadOnlyList<string> PathTemplates { get; } =
        All.Select(r => r.PathTemplate).Distinct().OrderBy(p => Segments(p).Length).ThenBy(p => p, StringComparer.Ordinal).ToArray();

    /// <summary>The methods defined on one path template, in table order (for <c>Allow</c> and CORS).</summary>
    public static IReadOnlyList<string> MethodsFor(string pathTemplate) =>
        All.Where(r => r.PathTemplate == pathTemplate).Select(r => r.Method).ToArray();

    /// <summary>Finds the route API Gateway already matched (Lambda proxy events carry the template).</summary>
    public static Route? Find(string method, string pathTemplate) =>
        All.FirstOrDefault(r => r.PathTemplate == pathTemplate && string.Equals(r.Method, method, StringComparison.Ordinal));

    /// <summary>Matches a concrete path such as <c>/items/01J...</c> against the table.</summary>
    public static RouteMatch Match(string method, string path)
    {
        string[] pathSegments = Segments(path);
        foreach (string template in PathTemplates)
        {
            Dictionary<string, string>? parameters = MatchTemplate(template, pathSegments);
            if (parameters is null) continue;

            Route? route = Find(method, template);
            return route is null
                ? RouteMatch.MethodNotAllowed(template, MethodsFor(template))
                : RouteMatch.Found(route, parameters);
        }
        return RouteMatch.NotFound;
    }

    internal static string[] Segments(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    internal static bool IsParameter(string segment) => segment.StartsWith('{') && segment.EndsWith('}');

    private static Dictionary<string, string>? MatchTemplate(string template, string[] pathSegments)
    {
        string[] templateSegments = Segments(template);
        if (templateSegments.Length != pathSegments.Length) return null;

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < templateSegments.Length; i++)
        {
            if (IsParameter(templateSegments[i]))
                parameters[templateSegments[i][1..^1]] = Uri.UnescapeDataString(pathSegments[i]);
            else if (!string.Equals(templateSegments[i], pathSegments[i], StringComparison.Ordinal))
                return null;
        }
        return parameters;
    }
}

/// <summary>The outcome of matching a request against the route table.</summary>
public sealed record RouteMatch(Route? Route, IReadOnlyDictionary<string, string> PathParameters, string? PathTemplate, IReadOnlyList<string> AllowedMethods)
{
    public static RouteMatch NotFound { get; } = new(null, new Dictionary<string, string>(), null, []);

    public static RouteMatch Found(Route route, IReadOnlyDictionary<string, string> parameters) =>
        new(route, parameters, route.PathTemplate, RouteTable.MethodsFor(route.PathTemplate));

    public static RouteMatch MethodNotAllowed(string template, IReadOnlyList<string> allowed) =>
        new(null, new Dictionary<string, string>(), template, allowed);

    public bool IsFound => Route is not null;
    public bool IsKnownPath => PathTemplate is not null;
}
