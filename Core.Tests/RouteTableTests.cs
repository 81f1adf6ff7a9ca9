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
    public void Path_parameters_are_decoded()
    {
        RouteMatch match = RouteTable.Match("GET", "/items/a%20b");
        Assert.Equal("a b", match.PathParameters["id"]);
    }

    [Theory]
    [InlineData("PATCH", "/items", "/items", "POST, GET")]
    [InlineData("POST", "/items/abc", "/items/{id}", "GET, PUT, DELETE")]
    [InlineData("get", "/items", "/items", "POST, GET")]
    public void Known_path_with_another_method_lists_the_allowed_ones(string method, string path, string template, string allowed)
    {
        RouteMatch match = RouteTable.Match(method, path);
        Assert.False(match.IsFound);
        Assert.Equal(template, match.PathTemplate);
        Assert.Equal(allowed, string.Join(", ", match.AllowedMethods));
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
}
