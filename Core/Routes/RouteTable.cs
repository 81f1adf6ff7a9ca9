namespace ItemsApi.Core.Routes;

/// <summary>
/// The single source of truth for the API's routes. The Pulumi stack (resources, methods, validation), the
/// function's dispatch, the local gateway, the OpenAPI document and verify's gateway checks all read these rows:
/// adding a route is one row here plus its action in <see cref="Http.ItemsApiHandler"/> (README: Add a route).
/// The lookups below are <see cref="RouteSet"/>'s over <see cref="All"/>; tests build other sets.
/// </summary>
public static class RouteTable
{
    /// <summary>The collection's path; the stack's <c>url</c> output and the local banner point at it.</summary>
    public const string ItemsPath = "/items";

    /// <summary>The item id's path parameter name.</summary>
    public const string ItemIdParameter = "id";

    public const string ItemPath = ItemsPath + "/{" + ItemIdParameter + "}";

    /// <summary>Page size limits for listing.</summary>
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 100;

    /// <summary>The IETF httpapi draft's header for idempotent creates (<see cref="Items.IdempotencyKey"/>).</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>DynamoDB throttled, failed or did not answer in time (<see cref="Http.DependencyFailure"/>): every route can answer it.</summary>
    public const int DependencyUnavailable = 503;

    private static readonly RouteParameter IdempotencyKey = new(IdempotencyKeyHeader, ParameterLocation.Header, Required: false,
        "Makes the create safe to retry: the same key and body within the window answer the original 201 and store nothing new; " +
        "the key with another body is a 422, and while the first request runs a 409", Pattern: Items.IdempotencyKey.Pattern);

    private static readonly RouteParameter ItemId = new(ItemIdParameter, ParameterLocation.Path, Required: true,
        "The item's id (a ULID); anything else is a 404", Pattern: Items.ItemId.Pattern);

    private static readonly RouteParameter RequiredIfMatch = new("If-Match", ParameterLocation.Header, Required: true,
        "The ETag you read, with its quotes (\"3\"), or *");

    private static readonly RouteParameter OptionalIfMatch = RequiredIfMatch with
    {
        Required = false,
        Description = RequiredIfMatch.Description + "; without it the item is deleted whatever its version",
    };

    public static IReadOnlyList<Route> All { get; } =
    [
        new("POST", ItemsPath, RouteAction.CreateItem, "Create an item from a JSON object",
            Parameters: [IdempotencyKey], RequestBody: BodyShape.ItemDocument,
            SuccessStatus: 201, ResponseBody: BodyShape.Item, SuccessDescription: "Created; Location and ETag headers are set",
            ErrorStatuses: [400, 409, 413, 415, 422, DependencyUnavailable]),
        new("GET", ItemsPath, RouteAction.ListItems, "List items, one page at a time",
            Parameters:
            [
                new("limit", ParameterLocation.Query, Required: false, "Items per page", Type: "integer", Minimum: 1, Maximum: MaxPageSize, Default: DefaultPageSize),
                new("nextToken", ParameterLocation.Query, Required: false, "The nextToken of the previous page, unchanged"),
            ],
            RequestBody: BodyShape.None,
            SuccessStatus: 200, ResponseBody: BodyShape.ItemPage, SuccessDescription: "A page of items",
            ErrorStatuses: [400, DependencyUnavailable]),
        new("GET", ItemPath, RouteAction.GetItem, "Read one item",
            Parameters: [ItemId], RequestBody: BodyShape.None,
            SuccessStatus: 200, ResponseBody: BodyShape.Item, SuccessDescription: "The item; the ETag header carries its version",
            ErrorStatuses: [404, DependencyUnavailable]),
        new("PUT", ItemPath, RouteAction.ReplaceItem, "Replace an item's document (If-Match required)",
            Parameters: [ItemId, RequiredIfMatch], RequestBody: BodyShape.ItemDocument,
            SuccessStatus: 200, ResponseBody: BodyShape.Item, SuccessDescription: "The new version; the ETag header carries it",
            ErrorStatuses: [400, 404, 412, 413, 415, 428, DependencyUnavailable]),
        new("DELETE", ItemPath, RouteAction.DeleteItem, "Delete an item (If-Match optional)",
            Parameters: [ItemId, OptionalIfMatch], RequestBody: BodyShape.None,
            SuccessStatus: 204, ResponseBody: BodyShape.None, SuccessDescription: "Deleted",
            ErrorStatuses: [400, 404, 412, DependencyUnavailable]),
    ];

    /// <summary>The lookups over <see cref="All"/> (declared after it: static initializers run in order).</summary>
    private static readonly RouteSet Table = new(All);

    /// <summary>Every distinct path template with a route, parents before children.</summary>
    public static IReadOnlyList<string> PathTemplates => Table.PathTemplates;

    /// <summary>Every resource a REST API needs for <paramref name="routes"/>: their paths and all ancestors (/a/{id} needs /a), parents first.</summary>
    public static IReadOnlyList<string> ResourcePaths(IEnumerable<Route> routes) => ResourcePaths(routes.Select(r => r.PathTemplate));

    /// <summary>The resource paths of these path templates, parents first.</summary>
    public static IReadOnlyList<string> ResourcePaths(IEnumerable<string> pathTemplates) => OrderPaths(pathTemplates.SelectMany(Ancestors));

    /// <summary>The methods defined on one path template, in table order (for <c>Allow</c> and CORS).</summary>
    public static IReadOnlyList<string> MethodsFor(string pathTemplate) => Table.MethodsFor(pathTemplate);

    /// <summary>Finds the route API Gateway already matched (Lambda proxy events carry the template).</summary>
    public static Route? Find(string method, string pathTemplate) => Table.Find(method, pathTemplate);

    /// <summary>Matches a concrete path such as <c>/items/01J...</c> against the table.</summary>
    public static RouteMatch Match(string method, string path) => Table.Match(method, path);

    /// <summary>Matches an API Gateway resource template (and its decoded parameters) to a row, as the Lambda event carries it.</summary>
    public static RouteMatch MatchTemplate(string method, string template, IReadOnlyDictionary<string, string>? parameters) =>
        Table.MatchTemplate(method, template, parameters);

    internal static IReadOnlyList<string> OrderPaths(IEnumerable<string> paths) =>
        paths.Distinct().OrderBy(p => Segments(p).Length).ThenBy(p => p, StringComparer.Ordinal).ToArray();

    private static IEnumerable<string> Ancestors(string template)
    {
        for (int end = template.IndexOf('/', 1); end != -1; end = template.IndexOf('/', end + 1)) yield return template[..end];
        yield return template;
    }

    internal static string[] Segments(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static bool IsParameter(string segment) => segment is ['{', .., '}'];

    /// <summary>The decoded parameters when <paramref name="pathSegments"/> fit <paramref name="template"/>, else null.</summary>
    internal static Dictionary<string, string>? MatchTemplate(string template, string[] pathSegments)
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
