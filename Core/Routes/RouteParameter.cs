namespace ItemsApi.Core.Routes;

/// <summary>A path, query or header parameter of a route, with the constraints the handler enforces.</summary>
/// <param name="Pattern">For string parameters: the regular expression a valid value matches (OpenAPI <c>pattern</c>).</param>
public sealed record RouteParameter(
    string Name,
    ParameterLocation In,
    bool Required,
    string Description,
    string Type = "string",
    string? Pattern = null,
    int? Minimum = null,
    int? Maximum = null,
    int? Default = null);
