namespace ItemsApi.Core.Routes;

/// <summary>
/// One HTTP method on one path template, and everything every consumer needs to know about it: the handler's
/// dispatch (<see cref="Action"/>), the deployed method (body validation, API key), the local gateway (the
/// same checks) and the OpenAPI document (parameters, request and response shapes, statuses).
/// </summary>
/// <param name="RequestBody"><see cref="BodyShape.ItemDocument"/>: the gateway rejects the request with 400 unless the body is a JSON object.</param>
/// <param name="ErrorStatuses">The statuses the function itself can answer for this route (gateway statuses come from the gateway policy).</param>
public sealed record Route(
    string Method,
    string PathTemplate,
    RouteAction Action,
    string Summary,
    IReadOnlyList<RouteParameter> Parameters,
    BodyShape RequestBody,
    int SuccessStatus,
    BodyShape ResponseBody,
    string SuccessDescription,
    IReadOnlyList<int> ErrorStatuses)
{
    /// <summary>Every route needs the stage's API key (x-api-key), in every auth mode.</summary>
    public bool RequiresApiKey => true;

    /// <summary>The gateway validates that the body is a JSON object before the function runs.</summary>
    public bool RequiresJsonObjectBody => RequestBody == BodyShape.ItemDocument;

    private readonly string? _operationId;

    /// <summary>
    /// The OpenAPI operationId: the action in camelCase (<c>createItem</c>) unless the row sets another, as a second
    /// row for one action must (<see cref="RouteSet"/> refuses a table where two rows share one).
    /// </summary>
    public string OperationId
    {
        get => _operationId ?? char.ToLowerInvariant(Action.ToString()[0]) + Action.ToString()[1..];
        init => _operationId = value;
    }

    /// <summary>The path parameters, in template order.</summary>
    public IReadOnlyList<RouteParameter> PathParameters => Parameters.Where(p => p.In == ParameterLocation.Path).ToArray();

    public override string ToString() => $"{Method} {PathTemplate}";
}
