using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ItemsApi.LocalGateway.Tests;

/// <summary>
/// The attacks the local run refuses, made by a real browser (headless Chromium): a page whose DNS name is rebound to
/// 127.0.0.1 (Chromium's host resolver rules stand in for the attacker's DNS server), and a page on another port of
/// this machine, each trying to read the key from /docs or to reach the local table through dynalite.
/// </summary>
public sealed class BrowserAttackTests
{
    private const string Attacker = "attacker.example";

    [RequiresFact(typeof(Chromium))]
    public async Task A_page_rebound_to_127_0_0_1_cannot_read_the_key_that_docs_embeds()
    {
        await using LocalStage api = await LocalStage.StartAsync();
        await using HeadlessChromium browser = await HeadlessChromium.StartAsync(resolveToLoopback: [Attacker]);

        // The attacker's page, now served from the gateway's port under the attacker's name: same-origin with the
        // gateway, so CORS does not apply, and the browser sends Host: attacker.example:<port>.
        await browser.NavigateAsync($"http://{Attacker}:{api.Gateway.BaseUrl.Port}/");
        JsonNode script = await FetchAsync(browser, "/docs/index.js");
        JsonNode document = await FetchAsync(browser, "/openapi.json");

        Assert.Equal(400, script["status"]!.GetValue<int>());
        Assert.DoesNotContain(LocalStage.ApiKey, script["text"]!.GetValue<string>());
        Assert.Equal(400, document["status"]!.GetValue<int>());
        Assert.NotEmpty(browser.Requests); // the attacker's page itself, at least
        Assert.All(browser.Requests, url => Assert.Equal(Attacker, new Uri(url).Host));
    }

    [RequiresFact(typeof(Chromium))]
    public async Task Neither_a_page_on_this_machine_nor_a_rebound_page_can_read_or_delete_the_local_table()
    {
        await using LocalStage api = await LocalStage.StartAsync();
        HttpResponseMessage created = await api.SendAsync(HttpMethod.Post, api.ItemsUrl, """{"keep":"me"}""");
        string id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        string tableName = "items-test"; // LocalGatewayOptions.TableName for the harness's stage, test
        var dynamoDb = new Uri(api.Gateway.DynamoDbEndpoint!);
        await using HeadlessChromium browser = await HeadlessChromium.StartAsync(resolveToLoopback: [Attacker]);

        // A page of another origin on this machine (the local run's own /docs page): a cross-origin call, so the
        // browser sends a CORS preflight first.
        await browser.NavigateAsync(api.Gateway.DocsUrl);
        JsonNode crossOriginScan = await CallDynamoDbAsync(browser, dynamoDb.ToString(), "Scan", tableName);
        JsonNode crossOriginDelete = await CallDynamoDbAsync(browser, dynamoDb.ToString(), "DeleteTable", tableName);
        Assert.Equal("TypeError: Failed to fetch", crossOriginScan["error"]?.GetValue<string>());
        Assert.Equal("TypeError: Failed to fetch", crossOriginDelete["error"]?.GetValue<string>());

        // A page rebound to 127.0.0.1 on dynalite's own port: same-origin, no preflight, its name in Host.
        await browser.NavigateAsync($"http://{Attacker}:{dynamoDb.Port}/");
        JsonNode reboundScan = await CallDynamoDbAsync(browser, "/", "Scan", tableName);
        JsonNode reboundDelete = await CallDynamoDbAsync(browser, "/", "DeleteTable", tableName);
        Assert.Equal(403, reboundScan["status"]!.GetValue<int>());
        Assert.DoesNotContain(id, reboundScan["text"]!.GetValue<string>());
        Assert.Equal(403, reboundDelete["status"]!.GetValue<int>());

        // The table and its item are still there.
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, $"{api.ItemsUrl}/{id}")).StatusCode);
    }

    /// <summary>A same-origin <c>fetch</c> from the page: its status and text.</summary>
    private static async Task<JsonNode> FetchAsync(HeadlessChromium browser, string path) =>
        (await browser.EvaluateAsync($$"""
            (async () => {
              const response = await fetch({{JsonSerializer.Serialize(path)}});
              return { status: response.status, text: await response.text() };
            })()
            """))!;

    /// <summary>
    /// A DynamoDB call as a page's script can make it: dynalite checks only that a signature starts with AWS4-, so
    /// any will do. Its status and text, or the error when the browser refused to make it or to show its answer.
    /// </summary>
    private static async Task<JsonNode> CallDynamoDbAsync(HeadlessChromium browser, string url, string operation, string tableName) =>
        (await browser.EvaluateAsync($$"""
            (async () => {
              try {
                const response = await fetch({{JsonSerializer.Serialize(url)}}, {
                  method: 'POST',
                  headers: {
                    'Content-Type': 'application/x-amz-json-1.0',
                    'X-Amz-Target': 'DynamoDB_20120810.{{operation}}',
                    'X-Amz-Date': '20260101T000000Z',
                    'Authorization': 'AWS4-HMAC-SHA256 Credential=page/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
                  },
                  body: JSON.stringify({ TableName: {{JsonSerializer.Serialize(tableName)}} }),
                });
                return { status: response.status, text: await response.text() };
              } catch (error) {
                return { error: String(error) };
              }
            })()
            """))!;
}
