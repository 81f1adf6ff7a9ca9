using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ItemsApi.DeployTime.Gateway;
using ItemsApi.Core.Http;
using ItemsApi.Core.Items;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.LocalGateway.Tests;

/// <summary>
/// Edges where the local stage must answer as the deployed one does. On AWS a request passes API Gateway's checks and
/// then reaches the function, which runs <see cref="ItemsApiHandler"/>; here each case goes through the local gateway and,
/// separately, straight to that handler as API Gateway would forward it, and both answers must agree.
/// </summary>
public sealed class DeployedParityTests
{
    private static readonly string DeepObject = string.Concat(Enumerable.Repeat("{\"a\":", 65)) + "1" + new string('}', 65);

    /// <summary>The function's answer to a POST /items that API Gateway forwarded (what the deployed stage answers).</summary>
    private static async Task<(int Status, string Message, int Stored)> FunctionAnswerAsync(string body, string? contentType)
    {
        var store = new InMemoryItemStore(TimeProvider.System);
        var handler = new ItemsApiHandler(store, GatewayPolicy.For(StageSettings.Load(_ => null, "test")).Cors);
        var headers = new Dictionary<string, string>();
        if (contentType is not null) headers["Content-Type"] = contentType;
        ApiResponse response = await handler.HandleAsync(new ApiRequest { Method = "POST", Path = "/items", Headers = headers, Body = body, RequestId = "r" });
        string message = response.StatusCode == 201 ? "" : JsonDocument.Parse(response.Body!).RootElement.GetProperty("message").GetString()!;
        return (response.StatusCode, message, (await store.ListAsync(100, null)).Items.Count);
    }

    [Theory]
    // API Gateway validates a body only against a model for its media type; the stage has one for application/json.
    [InlineData("""{"name":"x"}""", "text/plain", 415)]
    [InlineData("""{"name":"x"}""", "application/xml", 415)]
    [InlineData("""{"name":"x"}""", "text/plain; charset=utf-8", 415)]
    [InlineData("[1,2]", "text/plain", 415)]
    // JSON in any case and with parameters; no Content-Type at all is taken as JSON, as API Gateway does.
    [InlineData("""{"name":"x"}""", "Application/JSON; charset=utf-8", 201)]
    [InlineData("""{"name":"x"}""", null, 201)]
    // Valid JSON objects the gateway's validator passes on, which the function refuses in its own words.
    [InlineData("""{"a":1,"a":2}""", "application/json", 400)]
    [InlineData("""{"outer":{"b":1,"c":{"b":2},"b":3}}""", "application/json", 400)]
    public async Task The_local_stage_answers_as_the_deployed_function_does(string body, string? contentType, int status)
    {
        await using LocalStage api = await LocalStage.StartAsync();
        HttpResponseMessage local = await api.SendAsync(HttpMethod.Post, api.ItemsUrl, body, contentType: contentType);
        (int functionStatus, string functionMessage, int functionStored) = await FunctionAnswerAsync(body, contentType);

        Assert.Equal(status, functionStatus);
        Assert.Equal(status, (int)local.StatusCode);
        if (status != 201) Assert.Equal(functionMessage, await LocalStage.MessageAsync(local));
        int stored = (await (await api.SendAsync(HttpMethod.Get, api.ItemsUrl)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").GetArrayLength();
        Assert.Equal(status == 201 ? 1 : 0, stored);
        Assert.Equal(stored, functionStored);
    }

    [Fact]
    public async Task A_body_nested_deeper_than_64_reaches_the_function_which_says_so()
    {
        await using LocalStage api = await LocalStage.StartAsync();
        HttpResponseMessage local = await api.SendAsync(HttpMethod.Post, api.ItemsUrl, DeepObject);
        (int status, string message, _) = await FunctionAnswerAsync(DeepObject, "application/json");

        Assert.Equal(400, status);
        Assert.Equal($"The body is nested 65 levels deep; at most {JsonBody.MaxDepth} are allowed.", message);
        Assert.Equal(HttpStatusCode.BadRequest, local.StatusCode);
        Assert.Equal(message, await LocalStage.MessageAsync(local));
        Assert.NotEqual("BAD_REQUEST_BODY", api.AccessLog().Single().GetProperty("errorResponseType").GetString());
    }

    [Fact]
    public async Task A_name_twice_in_one_object_is_refused_naming_it()
    {
        (int status, string message, _) = await FunctionAnswerAsync("""{"a":1,"b":{"a":2},"a":3}""", "application/json");
        Assert.Equal(400, status);
        Assert.Equal("The body has the property 'a' twice in one object; send each name once.", message);
    }

    [Theory]
    [InlineData("POST", "/items", true)]
    [InlineData("GET", "/nowhere", false)]
    [InlineData("DELETE", "/items/01ARZ3NDEKTSV4RRFFQ69G5FAV", false)]
    public async Task A_body_over_10_MiB_is_apis_gateways_413_before_any_other_check_with_an_access_log_line(string method, string path, bool withKey)
    {
        await using LocalStage api = await LocalStage.StartAsync();
        string body = "{\"big\":\"" + new string('x', 10 * 1024 * 1024) + "\"}";
        // As curl does for a large body: ask first, so the answer arrives before the body is sent (Kestrel, like API
        // Gateway, answers 413 from Content-Length alone and closes the connection).
        HttpResponseMessage response = await api.SendAsync(new HttpMethod(method), api.ItemsUrl[..^"/items".Length] + path, body,
            apiKey: withKey ? LocalStage.ApiKey : null, headers: [("Expect", "100-continue")]);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("""{"message":"Request Too Long"}""", await response.Content.ReadAsStringAsync());
        JsonElement line = api.AccessLog().Single();
        Assert.Equal("413", line.GetProperty("status").GetString());
        Assert.Equal("REQUEST_TOO_LARGE", line.GetProperty("errorResponseType").GetString());
        Assert.Equal("", api.ErrorLog());
    }

    [Fact]
    public async Task A_body_of_exactly_10_MiB_is_read_and_judged_by_the_other_checks()
    {
        await using LocalStage api = await LocalStage.StartAsync();
        string body = "{\"big\":\"" + new string('x', 10 * 1024 * 1024 - 10) + "\"}";
        Assert.Equal(10 * 1024 * 1024, Encoding.UTF8.GetByteCount(body));
        HttpResponseMessage response = await api.SendAsync(HttpMethod.Post, api.ItemsUrl, body);
        // Past the gateway, the function refuses a document larger than one item can hold.
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.StartsWith("The document is larger than", await LocalStage.MessageAsync(response));
    }
}
