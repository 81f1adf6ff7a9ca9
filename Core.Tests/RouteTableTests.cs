using ItemsApi.Core.Routes;


namespace ItemsApi.Core.Tests;

public class RouteTableTests
{
    [Theory]
    [InlineData("POST", "/items", RouteAction.CreateItem)]
    [InlineData("GET", "/items", RouteAction.ListItems)]
    [InlineData("GET", "/items/", RouteAction.ListItems)]
    [InlineData("GET", "/items/abc", RouteAction.GetItem)]
    [InlineData("PUT", "/items/abc", RouteAction.ReplaceItem)]
    [InlineData("DELETE", "/items/abc", RouteAction.DeleteItem)]
    public void Matches_each_route(string method, string path, RouteAction action)
    {
        RouteMatch match = RouteTable.Match(method, path);
        Assert.True(match.IsFound);
        Assert.Equal(action, match.Route!.Action);
    }

    [Fact]
    public void A_route_reads_as_its_method_and_path_template_in_test_names_and_the_debugger() =>
        Assert.Equal("PUT /items/{id}", RouteTable.Find("PUT", RouteTable.ItemPath)!.ToString());

    [Fact]
    public void Path_parameters_are_decoded()
    {
        RouteMatch match = RouteTable.Match("GET", "/items/a%20b");
        Assert.Equal("a b", match.PathParameters["id"]);
    }

    /// <summary>The methods of a path, in table order, read from the rows themselves (so a new row needs no test change).</summary>
    internal static IReadOnlyList<string> MethodsOf(string template) => RouteTable.All.Where(r => r.PathTemplate == template).Select(r => r.Method).ToArray();

    [Theory]
    [InlineData("TRACE", "/items", "/items")]
    [InlineData("TRACE", "/items/abc", "/items/{id}")]
    [InlineData("get", "/items", "/items")]
    public void Known_path_with_another_method_lists_the_allowed_ones(string method, string path, string template)
    {
        RouteMatch match = RouteTable.Match(method, path);
        Assert.False(match.IsFound);
        Assert.Equal(template, match.PathTemplate);
        Assert.Equal(MethodsOf(template), match.AllowedMethods);
        Assert.Contains("GET", match.AllowedMethods);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/item")]
    [InlineData("/items/a/b")]
    [InlineData("/ITEMS")]
    public void Unknown_paths_do_not_match(string path) => Assert.False(RouteTable.Match("GET", path).IsKnownPath);

    [Fact]
    public void Path_templates_list_parents_before_children()
    {
        Assert.Equal(["/items", "/items/{id}"], RouteTable.PathTemplates);
        Assert.Equal([RouteTable.ItemIdParameter], RouteTable.Find("GET", RouteTable.ItemPath)!.PathParameters.Select(p => p.Name));
    }

    [Fact]
    public void A_template_from_api_gateway_is_matched_to_its_row_without_the_path()
    {
        RouteMatch found = RouteTable.MatchTemplate("GET", RouteTable.ItemPath, new Dictionary<string, string> { [RouteTable.ItemIdParameter] = "x" });
        Assert.Equal(RouteAction.GetItem, found.Route!.Action);
        Assert.Equal("x", found.PathParameters[RouteTable.ItemIdParameter]);
        Assert.Empty(RouteTable.MatchTemplate("GET", RouteTable.ItemsPath, null).PathParameters);

        RouteMatch stale = RouteTable.MatchTemplate("TRACE", RouteTable.ItemPath, null);
        Assert.False(stale.IsFound);
        Assert.Equal(MethodsOf(RouteTable.ItemPath), stale.AllowedMethods);
        Assert.False(RouteTable.MatchTemplate("GET", "/gone/{id}", null).IsKnownPath);
    }

    [Fact]
    public void The_resource_tree_has_every_ancestor_parents_first_then_by_name()
    {
        Route get = RouteTable.Find("GET", RouteTable.ItemPath)!;
        Route[] routes = [get with { PathTemplate = "/b/c/{x}" }, get with { PathTemplate = "/a/{id}" }, get with { PathTemplate = "/a" }];
        Assert.Equal(["/a", "/b", "/a/{id}", "/b/c", "/b/c/{x}"], RouteTable.ResourcePaths(routes));
    }

    [Fact]
    public void Every_row_documents_itself_and_path_parameters_are_required()
    {
        Assert.All(RouteTable.All, route =>
        {
            Assert.False(string.IsNullOrWhiteSpace(route.Summary));
            Assert.False(string.IsNullOrWhiteSpace(route.SuccessDescription));
            Assert.All(route.Parameters, p => Assert.False(string.IsNullOrWhiteSpace(p.Description)));
            Assert.All(route.Parameters, p => Assert.Contains(p.Type, new[] { "string", "integer" }));
            Assert.All(route.PathParameters, p => Assert.True(p.Required, $"{route}: path parameter {p.Name} must be required"));
        });
        Assert.Equal(RouteTable.All.Count, RouteTable.All.Select(r => r.Summary).Distinct().Count());
        Assert.Equal(RouteTable.All.Count, RouteTable.All.Select(r => r.Action).Distinct().Count());
    }

    [Fact]
    public void If_match_says_whether_it_is_needed()
    {
        RouteParameter Header(string method) => RouteTable.Find(method, RouteTable.ItemPath)!.Parameters.Single(p => p.Name == "If-Match");
        Assert.True(Header("PUT").Required);
        Assert.False(Header("DELETE").Required);
        Assert.DoesNotContain("without it", Header("PUT").Description);
        Assert.Contains("without it the item is deleted whatever its version", Header("DELETE").Description);
        Assert.StartsWith("The ETag you read", Header("PUT").Description);
        Assert.EndsWith("or *", Header("PUT").Description);
    }

    [Theory]
    [InlineData("TRACE")]
    [InlineData("OPTIONS")] // the stage's CORS preflight
    [InlineData("ANY")]
    [InlineData("get")]
    public void A_method_api_gateway_cannot_give_a_route_is_refused_so_tests_can_use_TRACE_as_a_method_no_route_has(string method)
    {
        Route get = RouteTable.Find("GET", RouteTable.ItemPath)!;
        var error = Assert.Throws<ArgumentException>(() => new RouteSet([.. RouteTable.All, get with { Method = method, OperationId = "other" }]));
        Assert.StartsWith($"{method} /items/{{id}}: a route's method is one of GET, POST, PUT, PATCH, DELETE, HEAD.", error.Message);
    }

    [Fact]
    public void A_table_has_each_method_and_path_once_and_each_operation_id_once()
    {
        Route get = RouteTable.Find("GET", RouteTable.ItemPath)!;
        Assert.StartsWith("GET /items/{id} is in the table twice.",
            Assert.Throws<ArgumentException>(() => new RouteSet([.. RouteTable.All, get with { OperationId = "other" }])).Message);
        Assert.StartsWith("GET /items/{id} and HEAD /items/{id} have the same operation id getItem; set another on one of them.",
            Assert.Throws<ArgumentException>(() => new RouteSet([.. RouteTable.All, get with { Method = "HEAD" }])).Message);

        var set = new RouteSet([.. RouteTable.All, get with { Method = "HEAD", OperationId = "headItem" }]);
        Assert.Equal(["getItem", "headItem"], set.All.Where(r => r.Action == RouteAction.GetItem).Select(r => r.OperationId));
    }

    [Fact]
    public void A_row_added_to_a_set_is_matched_listed_and_allowed_without_touching_the_api_table()
    {
        Route put = RouteTable.Find("PUT", RouteTable.ItemPath)!;
        var set = new RouteSet([.. RouteTable.All, put with { PathTemplate = ThrowawayPath, OperationId = "throwaway" }, put with { PathTemplate = "/things/{id}", OperationId = "replaceThing" }]);

        RouteMatch added = set.Match("PUT", "/items/abc/added-by-a-test");
        Assert.Equal((RouteAction.ReplaceItem, "abc"), (added.Route!.Action, added.PathParameters[RouteTable.ItemIdParameter]));
        Assert.Equal(["PUT"], added.AllowedMethods);
        Assert.Equal(["PUT"], set.MatchTemplate("TRACE", ThrowawayPath, null).AllowedMethods);
        Assert.True(set.MatchTemplate("PUT", "/things/{id}", null).IsFound);
        Assert.Equal(RouteTable.PathTemplates.Append(ThrowawayPath).Append("/things/{id}").Order(StringComparer.Ordinal), set.PathTemplates.Order(StringComparer.Ordinal));
        List<string> order = [.. set.PathTemplates]; // both are in it (above)
        Assert.True(order.IndexOf(RouteTable.ItemPath) < order.IndexOf(ThrowawayPath), "parents first");

        Assert.False(RouteTable.Match("PUT", "/items/abc/added-by-a-test").IsKnownPath);
        Assert.Equal(MethodsOf(RouteTable.ItemPath), RouteTable.Match("GET", "/items/abc").AllowedMethods);
    }

    /// <summary>A path no real route will have.</summary>
    private const string ThrowawayPath = "/items/{id}/added-by-a-test";

    [Fact]
    public void Every_route_needs_the_api_key_and_only_post_and_put_take_a_json_object_body()
    {
        Assert.NotEmpty(RouteTable.All);
        Assert.All(RouteTable.All, route => Assert.True(route.RequiresApiKey, $"{route} must need the API key"));
        Assert.Equal(["POST /items", "PUT /items/{id}"], RouteTable.All.Where(r => r.RequiresJsonObjectBody).Select(r => r.ToString()));
    }

    [Fact]
    public void A_listing_takes_an_optional_page_size_and_an_optional_page_token_in_the_query()
    {
        RouteParameter[] parameters = RouteTable.Find("GET", RouteTable.ItemsPath)!.Parameters.ToArray();
        Assert.Equal(
            [
                new RouteParameter("limit", ParameterLocation.Query, Required: false, "Items per page", Type: "integer",
                    Minimum: 1, Maximum: RouteTable.MaxPageSize, Default: RouteTable.DefaultPageSize),
                new RouteParameter("nextToken", ParameterLocation.Query, Required: false, "The nextToken of the previous page, unchanged"),
            ],
            parameters);
    }
}
