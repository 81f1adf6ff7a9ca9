using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace ItemsApi.LocalGateway.Tests;

/// <summary>
/// The local stage answers only requests addressed to a loopback name. A web page that rebinds its own DNS name to
/// 127.0.0.1 (DNS rebinding) reaches the port as a same-origin page, but its requests still carry its own name in
/// <c>Host</c>: without this check it could read the key that /docs embeds, and then call the API with it.
/// </summary>
public sealed class LoopbackHostTests
{
    private const string Refused = "Host not allowed: the local stage answers only 127.0.0.1, localhost or [::1]";

    /// <summary>Every kind of answer the gateway gives: the docs page and its script (which holds the key), the document, the API, a preflight.</summary>
    private static readonly (string Method, string Path)[] EveryKindOfPath =
    [
        ("GET", "/docs"), ("GET", "/docs/index.html"), ("GET", "/docs/index.js"), ("GET", "/openapi.json"),
        ("GET", "/test/items"), ("POST", "/test/items"), ("OPTIONS", "/test/items"), ("GET", "/nothing"),
    ];

    [Theory]
    [InlineData("attacker.example:3000")]
    [InlineData("attacker.example")]
    [InlineData("localhost.attacker.example:{port}")]
    [InlineData("127.0.0.1.nip.example:{port}")]
    // Loopback addresses, but not the names the local run prints or a browser uses for it: only 127.0.0.1 is listened on.
    [InlineData("127.0.0.2:{port}")]
    [InlineData("0.0.0.0:{port}")]
    [InlineData("[::2]:{port}")]
    [InlineData("sub.localhost:{port}")]
    public async Task A_foreign_host_gets_400_on_every_path_before_any_other_check_and_nothing_is_written(string host)
    {
        await using LocalStage api = await LocalStage.StartAsync();
        string hostHeader = host.Replace("{port}", api.Gateway.BaseUrl.Port.ToString());

        foreach ((string method, string path) in EveryKindOfPath)
        {
            HttpResponseMessage response = await SendWithHostAsync(api, method, path, hostHeader);
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path} with Host {hostHeader}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(Refused, JsonDocument.Parse(body).RootElement.GetProperty("message").GetString());
            Assert.DoesNotContain(LocalStage.ApiKey, body);
        }

        // The POST never reached the function, and each refusal is one access-log line.
        JsonElement page = await (await api.SendAsync(HttpMethod.Get, api.ItemsUrl)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Empty(page.GetProperty("items").EnumerateArray());
        IReadOnlyList<JsonElement> refusals = api.AccessLog().SkipLast(1).ToList();
        Assert.Equal(EveryKindOfPath.Length, refusals.Count);
        Assert.All(refusals, line =>
        {
            Assert.Equal("400", line.GetProperty("status").GetString());
            Assert.Equal(Refused, line.GetProperty("errorMessage").GetString());
            Assert.Equal("-", line.GetProperty("integrationStatus").GetString());
        });
    }

    [Theory]
    [InlineData("127.0.0.1:{port}")]
    [InlineData("localhost:{port}")]
    [InlineData("LOCALHOST:{port}")]
    [InlineData("LocalHost")]
    [InlineData("[::1]:{port}")]
    [InlineData("[::1]")]
    [InlineData("127.0.0.1:8080")]
    public async Task Loopback_names_with_any_port_and_any_case_are_answered(string host)
    {
        await using LocalStage api = await LocalStage.StartAsync();
        string hostHeader = host.Replace("{port}", api.Gateway.BaseUrl.Port.ToString());

        HttpResponseMessage script = await SendWithHostAsync(api, "GET", "/docs/index.js", hostHeader);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains(LocalStage.ApiKey, await script.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await SendWithHostAsync(api, "GET", "/openapi.json", hostHeader)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendWithHostAsync(api, "GET", "/test/items", hostHeader)).StatusCode);
    }

    [Fact]
    public async Task An_http_1_0_request_without_a_host_is_refused_too()
    {
        // HTTP/1.1 requires Host (Kestrel itself answers 400 without one); HTTP/1.0 does not, but names no loopback host either.
        await using LocalStage api = await LocalStage.StartAsync();

        (int status, string body) = await SendRawAsync(api.Gateway.BaseUrl, "GET /docs/index.js HTTP/1.0\r\n\r\n");

        Assert.Equal(400, status);
        Assert.Equal(Refused, JsonDocument.Parse(body).RootElement.GetProperty("message").GetString());
        Assert.DoesNotContain(LocalStage.ApiKey, body);
        // With a loopback Host the same HTTP/1.0 request is answered.
        Assert.Equal(200, (await SendRawAsync(api.Gateway.BaseUrl, "GET /docs/index.js HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")).Status);
    }

    /// <summary>A request to the gateway's port with this <c>Host</c> header, as a rebinding page's browser sends it.</summary>
    private static Task<HttpResponseMessage> SendWithHostAsync(LocalStage api, string method, string path, string host)
    {
        string url = api.Gateway.BaseUrl.ToString().TrimEnd('/') + path;
        (string, string)[] headers = method == "OPTIONS"
            ? [("Host", host), ("Origin", $"http://{host}"), ("Access-Control-Request-Method", "POST")]
            : [("Host", host)];
        return api.SendAsync(new HttpMethod(method), url, method == "POST" ? """{"name":"planted"}""" : null, headers: headers);
    }

    /// <summary>Sends bytes exactly as written (HttpClient always adds a Host) and reads the answer until the server closes.</summary>
    private static async Task<(int Status, string Body)> SendRawAsync(Uri baseUrl, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, baseUrl.Port);
        await using NetworkStream stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string answer = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        string[] parts = answer.Split("\r\n\r\n", 2);
        return (int.Parse(parts[0].Split(' ')[1]), parts.Length > 1 ? parts[1] : "");
    }
}
