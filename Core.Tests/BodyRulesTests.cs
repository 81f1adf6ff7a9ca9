using System.Text.Json;
using ItemsApi.Core.Http;
using ItemsApi.Core.Items;

namespace ItemsApi.Core.Tests;

/// <summary>
/// What a POST or PUT body must be, as the function answers it on every stage: sent as application/json (RFC 9110:
/// 415 for a media type the resource does not take), at most 64 levels deep, each name once per object (RFC 8259
/// allows repeats but leaves which value wins to the parser). DeployTime.Tests checks the OpenAPI document says the same.
/// </summary>
public sealed class BodyRulesTests
{
    private const string Id = "01ARZ3NDEKTSV4RRFFQ69G5FAV";

    private static (ItemsApiHandler Handler, InMemoryItemStore Store) Handler()
    {
        var store = new InMemoryItemStore(TimeProvider.System);
        return (new ItemsApiHandler(store, CorsPolicy.Disabled), store);
    }

    private static ApiRequest Request(string method, string path, string body, string? contentType, string? ifMatch = null)
    {
        var headers = new Dictionary<string, string>();
        if (contentType is not null) headers["content-type"] = contentType;
        if (ifMatch is not null) headers["If-Match"] = ifMatch;
        return new ApiRequest { Method = method, Path = path, Headers = headers, Body = body, RequestId = "r" };
    }

    private static string Message(ApiResponse response) => JsonDocument.Parse(response.Body!).RootElement.GetProperty("message").GetString()!;

    [Theory]
    [InlineData("text/plain", "text/plain")]
    [InlineData("application/xml; charset=utf-8", "application/xml")]
    [InlineData("application/jsonx", "application/jsonx")]
    public async Task A_body_sent_as_another_media_type_is_415_and_nothing_is_stored(string contentType, string named)
    {
        (ItemsApiHandler handler, InMemoryItemStore store) = Handler();
        ApiResponse created = await handler.HandleAsync(Request("POST", "/items", """{"a":1}""", contentType));
        Assert.Equal(415, created.StatusCode);
        Assert.Equal($"Content-Type {named} is not supported; send the document as application/json.", Message(created));

        StoredItem item = await store.CreateAsync("""{"a":1}""");
        ApiResponse replaced = await handler.HandleAsync(Request("PUT", $"/items/{item.Id}", """{"a":2}""", contentType, "\"1\""));
        Assert.Equal(415, replaced.StatusCode);
        Assert.Equal("""{"a":1}""", (await store.GetAsync(item.Id))!.DocumentJson);
        Assert.Single((await store.ListAsync(10, null)).Items);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("APPLICATION/JSON")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData(" application/json ;charset=UTF-8")]
    [InlineData(null)] // API Gateway takes a body without Content-Type as application/json
    public async Task Json_in_any_case_with_parameters_or_no_content_type_is_accepted(string? contentType)
    {
        (ItemsApiHandler handler, _) = Handler();
        Assert.Equal(201, (await handler.HandleAsync(Request("POST", "/items", """{"a":1}""", contentType))).StatusCode);
    }

    [Fact]
    public async Task The_put_checks_stay_in_order_if_match_before_the_media_type()
    {
        (ItemsApiHandler handler, _) = Handler();
        Assert.Equal(428, (await handler.HandleAsync(Request("PUT", $"/items/{Id}", "{}", "text/plain"))).StatusCode);
        Assert.Equal(400, (await handler.HandleAsync(Request("PUT", $"/items/{Id}", "{}", "text/plain", "1"))).StatusCode);
    }

    [Fact]
    public void Sixty_four_levels_are_accepted_and_sixty_five_are_refused_saying_how_deep()
    {
        static string Nested(int depth) => string.Concat(Enumerable.Repeat("[", depth - 1).Prepend("{\"a\":")) + "1" + new string(']', depth - 1) + "}";
        Assert.True(JsonBody.Read(Nested(64), false).IsValid);
        JsonBody.Result deep = JsonBody.Read(Nested(65), false);
        Assert.Equal((400, "The body is nested 65 levels deep; at most 64 are allowed."), (deep.Status, deep.Error));
        Assert.Equal("The body is nested 300 levels deep; at most 64 are allowed.", JsonBody.Read(Nested(300), false).Error);
    }

    [Theory]
    [InlineData("""{"a":1,"a":2}""", "a")]
    [InlineData("""{"x":{"b":1,"c":[{"d":1,"d":2}]}}""", "d")]
    [InlineData("""{"\u0061":1,"a":2}""", "a")] // the same name, escaped
    [InlineData("""{"a":{"b":1},"b":2,"a":3}""", "a")] // "b" once per object is fine
    [InlineData("""{"a":1,"a":2,"b":1,"b":2}""", "a")] // the first repeated name, in document order
    public void A_name_twice_in_one_object_is_refused_naming_it(string body, string name)
    {
        JsonBody.Result result = JsonBody.Read(body, false);
        Assert.Equal(400, result.Status);
        Assert.Equal($"The body has the property '{name}' twice in one object; send each name once.", result.Error);
    }

    [Fact]
    public void A_long_repeated_name_is_cut_to_64_characters_in_the_message()
    {
        string sixtyFour = new('n', 64), sixtyFive = new('n', 65);
        Assert.Equal($"The body has the property '{sixtyFour}' twice in one object; send each name once.",
            JsonBody.Read($$"""{"{{sixtyFour}}":1,"{{sixtyFour}}":2}""", false).Error);
        Assert.Equal($"The body has the property '{sixtyFour}...' twice in one object; send each name once.",
            JsonBody.Read($$"""{"{{sixtyFive}}":1,"{{sixtyFive}}":2}""", false).Error);
    }

    [Fact]
    public void A_repeated_name_at_the_deepest_allowed_level_is_reported_as_the_repeated_name()
    {
        // An object, 62 arrays and the innermost object: 64 levels, which are allowed, so the name is the reason.
        string body = "{\"x\":" + new string('[', 62) + """{"a":1,"a":2}""" + new string(']', 62) + "}";
        Assert.Equal("The body has the property 'a' twice in one object; send each name once.", JsonBody.Read(body, false).Error);
        Assert.Equal("The body is nested 65 levels deep; at most 64 are allowed.", JsonBody.Read("[" + body + "]", false).Error);
    }

    [Fact]
    public void The_same_name_in_different_objects_is_fine_and_broken_json_is_still_just_invalid()
    {
        Assert.True(JsonBody.Read("""{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}""", false).IsValid);
        Assert.Equal("The body is not valid JSON.", JsonBody.Read("""{"a":1,"a":""", false).Error);
        Assert.Equal("The body is not valid JSON.", JsonBody.Read("""{"a":1}}""", false).Error);
    }
}
