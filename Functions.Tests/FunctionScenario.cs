using System.Text.Json;
using System.Text.RegularExpressions;
using ItemsApi.Core.Auth;
using ItemsApi.LocalLambda;

namespace ItemsApi.Functions.Tests;

/// <summary>
/// Every route and error path of the items function, and the authorizer's allow and deny, sent as Lambda sends them to
/// a function process. The answers are written down with what differs from run to run (the new item's id, times)
/// replaced, so two builds of the function can be compared answer by answer.
/// </summary>
public static partial class FunctionScenario
{
    public const string Token = "tkn_scenario-5b1d0c7e";

    /// <summary>One step's answer: its status, and the whole response as the function posted it, run-specific values replaced.</summary>
    public sealed record Answer(string Step, int Status, string Response);

    /// <summary>The status each step must get, whatever the build. The method the route does not have is TRACE, which no route can have (RouteSet.Methods).</summary>
    public static readonly IReadOnlyDictionary<string, int> ExpectedItemsStatuses = new Dictionary<string, int>
    {
        ["create"] = 201, ["get"] = 200, ["list"] = 200, ["replace"] = 200, ["replace with a stale If-Match"] = 412,
        ["replace without If-Match"] = 428, ["create with a JSON array"] = 400, ["create with invalid JSON"] = 400,
        ["create sent as text/plain"] = 415, ["create with a name twice"] = 400,
        ["list with limit 0"] = 400, ["get a missing item"] = 404, ["delete with a stale If-Match"] = 412, ["delete"] = 204,
        ["get the deleted item"] = 404, ["an unknown path"] = 404, ["a method the route does not have"] = 405,
    };

    /// <summary>Runs the items steps in order against a function whose table is empty.</summary>
    public static async Task<IReadOnlyList<Answer>> RunItemsAsync(LambdaRuntimeProcess function)
    {
        var answers = new List<Answer>();
        string id = "";
        async Task<JsonElement> Step(string step, string method, string resource, string path, string? body = null, string? itemId = null,
            string? query = null, string ifMatch = "", string contentType = "application/json")
        {
            InvocationResult result = await function.InvokeAsync(ApiGatewayEvents.ProxyRequest(method, resource, path, "apigw-" + answers.Count, body, itemId, query, ifMatch,
                contentType: contentType));
            Assert.False(result.IsError, $"{step}: {result.Body}");
            JsonElement response = result.Json;
            string posted = Timestamp().Replace(id.Length > 0 ? result.Body.Replace(id, "<id>") : result.Body, "<time>");
            answers.Add(new Answer(step, response.GetProperty("statusCode").GetInt32(), posted));
            return response;
        }

        JsonElement created = await Step("create", "POST", "/items", "/items", """{"name":"lamp","price":12.5}""");
        id = JsonDocument.Parse(created.GetProperty("body").GetString()!).RootElement.GetProperty("id").GetString()!;
        answers[^1] = answers[^1] with { Response = answers[^1].Response.Replace(id, "<id>") };
        await Step("get", "GET", "/items/{id}", $"/items/{id}", itemId: id);
        await Step("list", "GET", "/items", "/items", query: """{"limit":"10"}""");
        await Step("replace", "PUT", "/items/{id}", $"/items/{id}", """{"name":"desk"}""", id, ifMatch: "\\\"1\\\"");
        await Step("replace with a stale If-Match", "PUT", "/items/{id}", $"/items/{id}", """{"name":"chair"}""", id, ifMatch: "\\\"1\\\"");
        await Step("replace without If-Match", "PUT", "/items/{id}", $"/items/{id}", """{"name":"chair"}""", id);
        await Step("create with a JSON array", "POST", "/items", "/items", "[1,2]");
        await Step("create with invalid JSON", "POST", "/items", "/items", "{\"name\":");
        // Bodies the stage's validator lets through (no model for text/plain; a repeated name is valid JSON).
        await Step("create sent as text/plain", "POST", "/items", "/items", """{"name":"lamp"}""", contentType: "text/plain");
        await Step("create with a name twice", "POST", "/items", "/items", """{"name":"lamp","name":"desk"}""");
        await Step("list with limit 0", "GET", "/items", "/items", query: """{"limit":"0"}""");
        await Step("get a missing item", "GET", "/items/{id}", "/items/01ARZ3NDEKTSV4RRFFQ69G5FAV", itemId: "01ARZ3NDEKTSV4RRFFQ69G5FAV");
        await Step("delete with a stale If-Match", "DELETE", "/items/{id}", $"/items/{id}", itemId: id, ifMatch: "\\\"1\\\"");
        await Step("delete", "DELETE", "/items/{id}", $"/items/{id}", itemId: id);
        await Step("get the deleted item", "GET", "/items/{id}", $"/items/{id}", itemId: id);
        await Step("an unknown path", "GET", "/{proxy+}", "/other");
        await Step("a method the route does not have", "TRACE", "/items/{id}", $"/items/{id}", itemId: id);
        return answers;
    }

    /// <summary>What the authorizer answered for a token and how API Gateway reads it: allowed (principal) or refused.</summary>
    public sealed record Decision(string Header, bool Allowed, string? ErrorType, string ErrorMessageOrPrincipal);

    /// <summary>The known token, then a missing, a malformed and an unknown one.</summary>
    public static async Task<IReadOnlyList<Decision>> RunAuthorizerAsync(LambdaRuntimeProcess authorizer)
    {
        var decisions = new List<Decision>();
        foreach (string header in new[] { "Bearer " + Token, "", "Basic " + Token, "Bearer " + Token + "-guessed" })
        {
            InvocationResult result = await authorizer.InvokeAsync(ApiGatewayEvents.TokenAuthorizerRequest(header));
            JsonElement json = result.Json;
            decisions.Add(result.IsError
                ? new Decision(header, false, result.ErrorType, json.GetProperty("errorMessage").GetString()!)
                : new Decision(header, true, null, json.GetProperty("principalId").GetString()!));
        }
        return decisions;
    }

    public static Dictionary<string, string> AuthorizerEnvironment() => new()
    {
        [Core.Runtime.FunctionContract.AuthorizerTokenHashesVariable] = BearerTokenAuthorizer.HashToken(Token),
    };

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")]
    private static partial Regex Timestamp();
}
