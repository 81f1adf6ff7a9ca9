using System.Text;
using ItemsApi.Core.Http;

namespace ItemsApi.DeployTime.Gateway;

/// <summary>
/// The stage's answer to a CORS preflight (OPTIONS) on one path, given by API Gateway itself through a MOCK integration,
/// as its own CORS set-up does ("CORS for REST APIs in API Gateway": an OPTIONS method with a mock integration whose
/// method response carries the Access-Control-Allow-* headers, and passthrough behaviour NEVER). No Lambda runs, so a
/// caller without a key cannot make the items function run with OPTIONS.
/// </summary>
/// <remarks>
/// Every value is derived from <see cref="CorsPolicy.Preflight"/>, which the local run answers preflights with:
/// <see cref="StaticHeaders"/> are the headers of its answer to a request without an allowed Origin (Vary; with "*", all
/// of them), set as fixed integration response parameters; the headers only an allowed origin gets are set by the
/// integration response's mapping template, which compares the request's Origin with the list and, when it matches,
/// sets each one with <c>$context.responseOverride.header.&lt;name&gt;</c> ("Override your API's request and response
/// parameters and status codes for REST APIs in API Gateway": a response mapping template can override any response
/// header; each override may be applied once). A fixed header value cannot do this with several origins: it would
/// either name one of them for every caller or echo any Origin.
/// </remarks>
public sealed record CorsPreflight(string PathTemplate, IReadOnlyList<string> Methods, int StatusCode, string RequestTemplate,
    IReadOnlyDictionary<string, string> StaticHeaders, IReadOnlyList<string> ResponseHeaders, string ResponseTemplate)
{
    /// <summary>The status the function's preflight answer has always had: no content.</summary>
    public const int NoContent = 204;

    /// <summary>The content type both mapping templates are declared for (a preflight has no body; API Gateway then takes application/json).</summary>
    public const string TemplateContentType = "application/json";

    /// <summary>AWS's CORS set-up: a request whose content type has no template is refused (415) rather than passed on.</summary>
    public const string PassthroughBehavior = "NEVER";

    /// <summary>The MOCK integration's status comes from its request template's statusCode.</summary>
    public static string RequestTemplateFor(int status) => $"{{\"statusCode\": {status}}}";

    /// <summary>The preflight answer on <paramref name="pathTemplate"/>, whose routes have <paramref name="methods"/>.</summary>
    public static CorsPreflight For(CorsPolicy cors, string pathTemplate, IReadOnlyList<string> methods)
    {
        if (!cors.IsEnabled) throw new ArgumentException("No preflight without CORS: the stage declares no OPTIONS method then", nameof(cors));
        ApiResponse refused = cors.Preflight(origin: null, methods);
        var staticHeaders = new SortedDictionary<string, string>(refused.Headers, StringComparer.Ordinal);
        string[] responseHeaders = AllowedAnswerHeaders(cors, methods).Keys.Concat(staticHeaders.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();
        return new CorsPreflight(pathTemplate, methods, refused.StatusCode, RequestTemplateFor(refused.StatusCode), staticHeaders, responseHeaders,
            TemplateFor(cors, methods));
    }

    /// <summary>
    /// The integration response's mapping template: one line of directives only, so the body stays empty. For each allowed
    /// origin (compared exactly, as <see cref="CorsPolicy.AllowOriginFor"/> does) it sets the headers the local answer to
    /// that origin has beyond <see cref="StaticHeaders"/>, Access-Control-Allow-Origin being the request's own Origin.
    /// The Origin is read from the request's headers only: <c>$input.params('Origin')</c> would look in the path and the
    /// query string first, so <c>?Origin=...</c> could stand in for it.
    /// </summary>
    public static string TemplateFor(CorsPolicy cors, IReadOnlyList<string> methods)
    {
        IReadOnlyDictionary<string, string?> allowedOnly = AllowedAnswerHeaders(cors, methods);
        if (allowedOnly.Count == 0) return ""; // "*": every header is a fixed one

        var template = new StringBuilder();
        // Header names as the client sent them: HTTP/2 sends them in lower case.
        template.Append("#set($origin = $input.params().header.get('Origin'))");
        template.Append("#if(!$origin)#set($origin = $input.params().header.get('origin'))#end");
        template.Append("#if(").AppendJoin(" || ", cors.AllowedOrigins.Select(origin => $"$origin == {Literal(origin)}")).Append(')');
        foreach ((string name, string? value) in allowedOnly)
            template.Append($"#set($context.responseOverride.header.{name} = {(value is null ? "$origin" : Literal(value))})");
        template.Append("#end");
        return template.ToString();
    }

    /// <summary>
    /// The headers an allowed origin's answer has beyond those every answer has; null as a value: the origin itself. Every
    /// allowed origin must get the same answer but for its own name, else one template could not give it.
    /// </summary>
    private static IReadOnlyDictionary<string, string?> AllowedAnswerHeaders(CorsPolicy cors, IReadOnlyList<string> methods)
    {
        IReadOnlyDictionary<string, string> always = cors.Preflight(origin: null, methods).Headers;
        SortedDictionary<string, string?>? shared = null;
        foreach (string origin in cors.AllowedOrigins)
        {
            var extra = new SortedDictionary<string, string?>(StringComparer.Ordinal);
            foreach ((string name, string value) in cors.Preflight(origin, methods).Headers)
                if (!always.TryGetValue(name, out string? fixedValue) || fixedValue != value)
                    extra[name] = value == origin ? null : value;
            if (shared is not null && !shared.SequenceEqual(extra))
                throw new InvalidOperationException($"The preflight answer to {origin} differs from another allowed origin's in more than its name");
            shared = extra;
        }
        return shared ?? [];
    }

    /// <summary>A Velocity single-quoted string: no interpolation, and no way to escape a quote (so none may occur).</summary>
    private static string Literal(string value) =>
        value.Contains('\'') ? throw new ArgumentException($"A mapping template literal cannot hold a single quote: {value}", nameof(value)) : $"'{value}'";
}
