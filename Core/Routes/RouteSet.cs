namespace ItemsApi.Core.Routes;

/// <summary>
/// Route rows and the lookups every reader makes on them: a row by method and template, a concrete path, the methods
/// of a path. <see cref="RouteTable"/> holds the API's rows; the local gateway, the OpenAPI document and verify take
/// the rows they serve, document or check, so a test can hand them a table with a throwaway row.
/// </summary>
public sealed class RouteSet
{
    /// <summary>
    /// The methods a row may have: API Gateway's HTTP methods for a REST API method, less OPTIONS, which the stage
    /// keeps for CORS preflights, and ANY, which is not one method. Any other (TRACE, say) can never be a route.
    /// </summary>
    public static IReadOnlyList<string> Methods { get; } = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];

    /// <exception cref="ArgumentException">A row has another method, or two rows share a method and path or an operation id.</exception>
    public RouteSet(IReadOnlyList<Route> rows)
    {
        if (rows.FirstOrDefault(r => !Methods.Contains(r.Method, StringComparer.Ordinal)) is { } other)
            throw new ArgumentException($"{other}: a route's method is one of {string.Join(", ", Methods)}.", nameof(rows));
        if (rows.GroupBy(r => r.ToString()).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"{twice.Key} is in the table twice.", nameof(rows));
        if (rows.GroupBy(r => r.OperationId).FirstOrDefault(g => g.Count() > 1) is { } shared)
            throw new ArgumentException($"{string.Join(" and ", shared)} have the same operation id {shared.Key}; set another on one of them.", nameof(rows));
        All = rows;
        PathTemplates = RouteTable.OrderPaths(rows.Select(r => r.PathTemplate));
    }

    public IReadOnlyList<Route> All { get; }

    /// <summary>Every distinct path template with a route, parents before children.</summary>
    public IReadOnlyList<string> PathTemplates { get; }

    /// <summary>The methods defined on one path template, in table order (for <c>Allow</c> and CORS).</summary>
    public IReadOnlyList<string> MethodsFor(string pathTemplate) =>
        All.Where(r => r.PathTemplate == pathTemplate).Select(r => r.Method).ToArray();

    /// <summary>The row of this method and template, or null.</summary>
    public Route? Find(string method, string pathTemplate) =>
        All.FirstOrDefault(r => r.PathTemplate == pathTemplate && string.Equals(r.Method, method, StringComparison.Ordinal));

    /// <summary>Matches a concrete path such as <c>/items/01J...</c> against the rows.</summary>
    public RouteMatch Match(string method, string path)
    {
        string[] pathSegments = RouteTable.Segments(path);
        foreach (string template in PathTemplates)
        {
            Dictionary<string, string>? parameters = RouteTable.MatchTemplate(template, pathSegments);
            if (parameters is null) continue;

            Route? route = Find(method, template);
            return route is null
                ? RouteMatch.MethodNotAllowed(template, MethodsFor(template))
                : RouteMatch.Found(route, parameters, MethodsFor(template));
        }
        return RouteMatch.NotFound;
    }

    /// <summary>Matches an API Gateway resource template (and its decoded parameters) to a row, as the Lambda event carries it.</summary>
    public RouteMatch MatchTemplate(string method, string template, IReadOnlyDictionary<string, string>? parameters)
    {
        Route? route = Find(method, template);
        if (route is not null) return RouteMatch.Found(route, parameters ?? new Dictionary<string, string>(), MethodsFor(template));
        return PathTemplates.Contains(template) ? RouteMatch.MethodNotAllowed(template, MethodsFor(template)) : RouteMatch.NotFound;
    }
}
