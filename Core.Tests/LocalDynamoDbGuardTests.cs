using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using ItemsApi.Core.Items;
using ItemsApi.Core.Runtime;

namespace ItemsApi.Core.Tests;

/// <summary>
/// dynalite answers any <c>Origin</c> with <c>Access-Control-Allow-Origin: *</c> and accepts any signature that starts
/// with <c>AWS4-</c>, so without a guard a web page that finds its port could scan, write or delete the local table
/// (with <c>--data-dir</c>, data kept on disk). The server LocalDynamoDb starts refuses every request that carries an
/// <c>Origin</c> or names a host other than loopback, before dynalite sees it. The AWS SDK sends neither, so every
/// other DynamoDB test here is also the proof that the SDK's own requests still pass.
/// </summary>
[Collection(DynamoDbCollection.Name), Trait("Category", DynamoDbCollection.Name)]
public sealed class LocalDynamoDbGuardTests(DynamoDbFixture dynamoDb) : IAsyncLifetime
{
    private const string AccessDenied = "com.amazon.coral.service#AccessDeniedException";

    private readonly HttpClient _http = new();
    private TestTable _table = null!;
    private string _knownId = null!;

    public async Task InitializeAsync()
    {
        _table = await dynamoDb.CreateTableAsync();
        _knownId = (await _table.Store.CreateAsync("""{"keep":"me"}""")).Id;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        try
        {
            await _table.DisposeAsync();
        }
        catch (ResourceNotFoundException)
        {
            // A guard that let DeleteTable through has already failed its test.
        }
    }

    [RequiresTheory(typeof(GuardedDynalite))]
    [InlineData("Scan")]
    [InlineData("PutItem")]
    [InlineData("DeleteItem")]
    [InlineData("DeleteTable")]
    public async Task A_request_from_a_web_page_is_refused_and_changes_nothing(string operation)
    {
        string before = await _table.SnapshotAsync();

        HttpResponseMessage response = await _http.SendAsync(PageRequest(operation, origin: "https://evil.example"));

        await AssertRefusedAsync(response);
        Assert.DoesNotContain(_knownId, await response.Content.ReadAsStringAsync());
        Assert.True(await TableExistsAsync());
        Assert.Equal(before, await _table.SnapshotAsync());
    }

    [RequiresTheory(typeof(GuardedDynalite))]
    [InlineData("attacker.example:{port}")]
    [InlineData("attacker.example")]
    [InlineData("localhost.attacker.example:{port}")]
    [InlineData("127.0.0.2:{port}")]
    public async Task A_request_for_a_foreign_host_is_refused_and_changes_nothing(string host)
    {
        // What a page whose DNS name was rebound to 127.0.0.1 sends: its own name as Host, and (same-origin GETs aside) no way around it.
        string before = await _table.SnapshotAsync();
        string hostHeader = host.Replace("{port}", new Uri(dynamoDb.Endpoint).Port.ToString());

        foreach (string operation in new[] { "Scan", "PutItem", "DeleteTable" })
            await AssertRefusedAsync(await _http.SendAsync(PageRequest(operation, host: hostHeader)));

        Assert.True(await TableExistsAsync());
        Assert.Equal(before, await _table.SnapshotAsync());
    }

    [RequiresFact(typeof(GuardedDynalite))]
    public async Task A_cors_preflight_is_refused()
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, dynamoDb.Endpoint);
        preflight.Headers.TryAddWithoutValidation("Origin", "https://evil.example");
        preflight.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "POST");
        preflight.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", "authorization,content-type,x-amz-date,x-amz-target");

        await AssertRefusedAsync(await _http.SendAsync(preflight));
    }

    [RequiresFact(typeof(GuardedDynalite))]
    public async Task An_http_1_0_request_without_a_host_is_refused()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, new Uri(dynamoDb.Endpoint).Port);
        await using NetworkStream stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.0\r\n\r\n"));
        string answer = await new StreamReader(stream).ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.StartsWith("HTTP/1.1 403 ", answer);
        Assert.Contains(AccessDenied, answer);
    }

    [RequiresTheory(typeof(GuardedDynalite))]
    [InlineData("127.0.0.1:{port}")]
    [InlineData("localhost:{port}")]
    [InlineData("LOCALHOST:{port}")]
    [InlineData("[::1]:{port}")]
    public async Task Without_an_origin_and_for_a_loopback_name_the_same_request_reaches_the_table(string host)
    {
        // The control: the request the tests above send is one dynalite accepts (a program on this machine may use the
        // local table); what is refused is only its Origin or its Host.
        string hostHeader = host.Replace("{port}", new Uri(dynamoDb.Endpoint).Port.ToString());

        HttpResponseMessage response = await _http.SendAsync(PageRequest("PutItem", host: hostHeader));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Contains("id=planted", await _table.SnapshotAsync());
    }

    [RequiresFact(typeof(GuardedDynalite))]
    public async Task The_aws_sdk_reads_the_refusal_as_access_denied_with_its_reason()
    {
        // What a program that sent an Origin (a server-side proxy forwarding a browser's headers, say) would see.
        using var client = (AmazonDynamoDBClient)ItemsApiFactory.CreateDynamoDbClient(dynamoDb.Endpoint);
        client.BeforeRequestEvent += (_, e) => ((WebServiceRequestEventArgs)e).Headers["Origin"] = "https://evil.example";

        var refused = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.ScanAsync(new ScanRequest { TableName = _table.Name }));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("AccessDeniedException", refused.ErrorCode);
        Assert.Equal("The local DynamoDB refuses requests from web pages (requests with an Origin header).", refused.Message);
    }

    /// <summary>
    /// A DynamoDB call as a page's script could make it: dynalite never verifies a signature, only that there is one,
    /// so any <c>AWS4-</c> header will do.
    /// </summary>
    private HttpRequestMessage PageRequest(string operation, string? origin = null, string? host = null)
    {
        string body = operation switch
        {
            "PutItem" => JsonSerializer.Serialize(new { TableName = _table.Name, Item = new Dictionary<string, object> { [ItemsTableSchema.PartitionKey] = new { S = "planted" } } }),
            "DeleteItem" => JsonSerializer.Serialize(new { TableName = _table.Name, Key = new Dictionary<string, object> { [ItemsTableSchema.PartitionKey] = new { S = _knownId } } }),
            _ => JsonSerializer.Serialize(new { TableName = _table.Name }),
        };
        var request = new HttpRequestMessage(HttpMethod.Post, dynamoDb.Endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.0") };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810." + operation);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", "20260101T000000Z");
        request.Headers.TryAddWithoutValidation("Authorization",
            "AWS4-HMAC-SHA256 Credential=page/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0");
        if (origin is not null) request.Headers.TryAddWithoutValidation("Origin", origin);
        if (host is not null) request.Headers.Host = host;
        return request;
    }

    /// <summary>403 with a DynamoDB error body, and nothing that would let a page's script read it.</summary>
    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{(int)response.StatusCode}: {body}");
        Assert.Equal(AccessDenied, JsonDocument.Parse(body).RootElement.GetProperty("__type").GetString());
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private async Task<bool> TableExistsAsync()
    {
        try
        {
            await dynamoDb.Client.DescribeTableAsync(_table.Name);
            return true;
        }
        catch (ResourceNotFoundException)
        {
            return false;
        }
    }
}

/// <summary>The dynalite LocalDynamoDb starts, not another server (<c>DYNAMODB_ENDPOINT</c>): the browser guard is in front of it.</summary>
public sealed class GuardedDynalite : IRequirement
{
    public string? Missing =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable(FunctionContract.DynamoDbEndpointVariable)) ? null
            : $"{FunctionContract.DynamoDbEndpointVariable} names another DynamoDB server; the browser guard is in front of the dynalite the tests start";
}
