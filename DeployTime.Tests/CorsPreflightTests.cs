using ItemsApi.Core.Http;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.DeployTime.Settings;
using ItemsApi.TestKit;

namespace ItemsApi.DeployTime.Tests;

/// <summary>
/// The stage answers CORS preflights itself, with a MOCK integration (issue 26, fault 11: OPTIONS went to the items
/// function, without a key). AWS's rules encoded: "CORS for REST APIs in API Gateway" (an OPTIONS method with a mock
/// integration, the Access-Control-Allow-* headers on its method response, passthrough NEVER), and "Override your API's
/// request and response parameters and status codes" ($context.responseOverride.header.NAME in a response mapping
/// template; each override applied once). The template is generated from <see cref="CorsPolicy.Preflight"/>, the answer
/// the local run gives, and evaluated here with Apache Velocity, the template language API Gateway documents.
/// </summary>
public sealed class CorsPreflightTests
{
    private static readonly string[] ItemMethods = ["GET", "PUT", "DELETE"];
    private const string AllowHeaders = CorsPolicy.BaseAllowedHeaders;

    private static CorsPreflight For(params string[] origins) => CorsPreflight.For(new CorsPolicy(origins), RouteTable.ItemPath, ItemMethods);

    [Fact]
    public void With_one_origin_the_template_allows_exactly_it()
    {
        CorsPreflight preflight = For("https://app.example.com");
        Assert.Equal(
            "#set($origin = $input.params().header.get('Origin'))#if(!$origin)#set($origin = $input.params().header.get('origin'))#end" +
            "#if($origin == 'https://app.example.com')" +
            "#set($context.responseOverride.header.Access-Control-Allow-Headers = '" + AllowHeaders + "')" +
            "#set($context.responseOverride.header.Access-Control-Allow-Methods = 'GET,PUT,DELETE,OPTIONS')" +
            "#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)" +
            "#set($context.responseOverride.header.Access-Control-Max-Age = '600')#end",
            preflight.ResponseTemplate);
        Assert.Equal(new Dictionary<string, string> { ["Vary"] = "Origin" }, preflight.StaticHeaders);
        Assert.Equal(204, preflight.StatusCode);
        Assert.Equal("{\"statusCode\": 204}", preflight.RequestTemplate);
        Assert.Equal(["Access-Control-Allow-Headers", "Access-Control-Allow-Methods", "Access-Control-Allow-Origin", "Access-Control-Max-Age", "Vary"],
            preflight.ResponseHeaders);
    }

    [Fact]
    public void With_several_origins_the_template_compares_the_request_origin_with_each()
    {
        string template = For("https://a.example.com", "http://localhost:5173").ResponseTemplate;
        Assert.Contains("#if($origin == 'https://a.example.com' || $origin == 'http://localhost:5173')", template);
        Assert.Contains("#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)", template);
        // Read from the headers only: $input.params('Origin') looks in the path and query string first.
        Assert.DoesNotContain("$input.params('Origin')", template);
    }

    [Fact]
    public void With_any_origin_every_header_is_fixed_and_the_template_is_empty()
    {
        CorsPreflight preflight = For("*");
        Assert.Equal("", preflight.ResponseTemplate);
        Assert.Equal(new Dictionary<string, string>
        {
            ["Access-Control-Allow-Headers"] = AllowHeaders, ["Access-Control-Allow-Methods"] = "GET,PUT,DELETE,OPTIONS",
            ["Access-Control-Allow-Origin"] = "*", ["Access-Control-Max-Age"] = "600", ["Vary"] = "Origin",
        }, preflight.StaticHeaders);
    }

    [Fact]
    public void An_origin_a_velocity_literal_cannot_hold_is_refused()
    {
        Assert.Throws<ArgumentException>(() => For("https://a'b.example"));
        Assert.Throws<ArgumentException>(() => CorsPreflight.For(CorsPolicy.Disabled, RouteTable.ItemPath, ItemMethods));
    }

    [Fact]
    public void The_stage_declares_one_preflight_per_path_with_that_paths_methods_and_none_without_cors()
    {
        StageSettings settings = StageSettings.Load(key => key == "corsAllowedOrigins" ? """["https://app.example.com"]""" : null, "dev");
        ApiDefinition definition = ApiDefinition.For(settings, GatewayPolicy.For(settings), RouteTable.All);
        Assert.Equal(RouteTable.PathTemplates, definition.CorsPreflights.Select(p => p.PathTemplate));
        foreach (CorsPreflight preflight in definition.CorsPreflights)
            Assert.Equal(RouteTable.MethodsFor(preflight.PathTemplate), preflight.Methods);

        StageSettings other = settings with { CorsAllowedOrigins = ["https://other.example.com"] };
        Assert.NotEqual(definition.Fingerprint, ApiDefinition.For(other, GatewayPolicy.For(other), RouteTable.All).Fingerprint);

        StageSettings none = StageSettings.Load(_ => null, "dev");
        Assert.Empty(ApiDefinition.For(none, GatewayPolicy.For(none), RouteTable.All).CorsPreflights);
    }

    [Fact]
    public void The_openapi_document_declares_no_options_operation_and_no_integration_with_cors_on()
    {
        // The document describes what callers send the function; preflights are the gateway's own answer.
        StageSettings settings = StageSettings.Load(key => key == "corsAllowedOrigins" ? """["https://app.example.com"]""" : null, "dev");
        string document = OpenApi.OpenApiDocument.Build(GatewayPolicy.For(settings)).ToJsonString();
        Assert.DoesNotContain("\"options\"", document);
        Assert.DoesNotContain("x-amazon-apigateway-integration", document);
    }

    public static TheoryData<string[], string?> Requests => new()
    {
        { ["https://app.example.com"], "https://app.example.com" },
        { ["https://app.example.com"], "https://evil.example" },
        { ["https://app.example.com"], null },
        { ["https://a.example.com", "https://b.example.com"], "https://b.example.com" },
        { ["https://a.example.com", "https://b.example.com"], "https://a.example.com" },
        { ["https://a.example.com", "https://b.example.com"], "https://c.example.com" },
        { ["https://a.example.com", "https://b.example.com"], "https://a.example.com.evil.example" },
        { ["https://a.example.com", "https://b.example.com"], null },
        { ["*"], "https://any.example" },
        { ["*"], null },
    };

    /// <summary>
    /// The MOCK's answer (its fixed headers, plus what its template sets) is the local run's answer, header for header, for
    /// allowed, refused and missing origins; a refused origin gets no Access-Control-Allow-Origin; the body is empty.
    /// </summary>
    [RequiresTheory(typeof(VelocityInstalled))]
    [MemberData(nameof(Requests))]
    public async Task The_evaluated_template_answers_as_the_local_run_does(string[] origins, string? origin)
    {
        var cors = new CorsPolicy(origins);
        CorsPreflight preflight = CorsPreflight.For(cors, RouteTable.ItemPath, ItemMethods);
        (IReadOnlyDictionary<string, string> overrides, string body) = await Velocity.EvaluateAsync(preflight.ResponseTemplate,
            origin is null ? [] : [("Origin", origin)]);

        var deployed = new Dictionary<string, string>(preflight.StaticHeaders);
        foreach ((string name, string value) in overrides)
        {
            Assert.Contains(name, preflight.ResponseHeaders); // declared on the method response
            Assert.True(deployed.TryAdd(name, value), $"{name} is both a fixed header and an override");
        }
        ApiResponse local = cors.Preflight(origin, ItemMethods);
        Assert.Equal(local.Headers.OrderBy(h => h.Key, StringComparer.Ordinal), deployed.OrderBy(h => h.Key, StringComparer.Ordinal));
        Assert.Equal(local.StatusCode, preflight.StatusCode);
        Assert.Equal("", body);
        Assert.Equal("Origin", deployed["Vary"]);
        if (cors.AllowOriginFor(origin) is null) Assert.DoesNotContain("Access-Control-Allow-Origin", deployed.Keys);
        else Assert.Equal(origins is ["*"] ? "*" : origin, deployed["Access-Control-Allow-Origin"]);
    }

    [RequiresFact(typeof(VelocityInstalled))]
    public async Task An_http2_lower_case_origin_header_is_read_and_a_query_parameter_is_not()
    {
        CorsPreflight preflight = For("https://app.example.com");
        (IReadOnlyDictionary<string, string> lower, _) = await Velocity.EvaluateAsync(preflight.ResponseTemplate, [("origin", "https://app.example.com")]);
        Assert.Equal("https://app.example.com", lower["Access-Control-Allow-Origin"]);
        (IReadOnlyDictionary<string, string> none, _) = await Velocity.EvaluateAsync(preflight.ResponseTemplate, [("Origin", "https://evil.example")]);
        Assert.Empty(none);
    }
}

/// <summary>
/// Apache Velocity 1.7 (Debian's velocity package, which CI's .ci/run installs) through tools/velocity/EvaluateMappingTemplate.java:
/// the template's $context.responseOverride.header values and its rendered body for a request with these headers.
/// </summary>
public static class Velocity
{
    public static readonly string[] ClassPath =
        ["/usr/share/java/velocity.jar", "/usr/share/java/commons-collections3.jar", "/usr/share/java/commons-lang.jar"];

    public static string? MissingReason =>
        !OnPath("java") ? "java is not installed (CI's .ci/run installs it with velocity)"
        : ClassPath.FirstOrDefault(jar => !File.Exists(jar)) is { } missing
            ? $"Apache Velocity is not installed ({missing} is missing): apt-get install velocity (CI's .ci/run does)"
            : null;

    private static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(folder => File.Exists(Path.Combine(folder, command)));

    public static async Task<(IReadOnlyDictionary<string, string> Overrides, string Body)> EvaluateAsync(string template, IEnumerable<(string Name, string Value)> headers)
    {
        string file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, template);
            string evaluator = Path.Combine(RepositoryRoot.Path, "tools", "velocity", "EvaluateMappingTemplate.java");
            ProcessOutcome run = await ProcessRun.RunAsync("java",
                ["-cp", string.Join(':', ClassPath), evaluator, file, .. headers.Select(h => $"{h.Name}={h.Value}")]);
            Assert.True(run.ExitCode == 0, $"velocity (exit {run.ExitCode}):\n{run.Output}{run.Errors}");
            var overrides = new Dictionary<string, string>();
            string body = "";
            foreach (string line in run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = line.Split('\t');
                if (parts[0] == "header") overrides.Add(parts[1], parts[2]);
                else if (parts[0] == "body") body = parts[1];
            }
            return (overrides, body);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

/// <summary>Tests that evaluate a mapping template need java and Velocity; skipped with the reason where they are missing.</summary>
public sealed class VelocityInstalled : IRequirement
{
    public string? Missing => Velocity.MissingReason;
}
