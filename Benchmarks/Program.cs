using System.Diagnostics;
using Amazon.DynamoDBv2;
using ItemsApi.Benchmarks;
using ItemsApi.Core.Http;
using ItemsApi.Core.Items;
using ItemsApi.Core.Runtime;
using ItemsApi.LocalDynamoDb;

// Handler throughput and latency, in-process. Run: dotnet run -c Release --project Benchmarks [-- --requests N]
// The function's cold start, build against build: dotnet run -c Release --project Benchmarks -- coldstart [runs]
if (args.Length > 0 && args[0] == "coldstart")
{
    return await ColdStartBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 10);
}
// The function step of pulumi preview, cold, warm and after a change: dotnet run -c Release --project Benchmarks -- function-build [runs]
if (args.Length > 0 && args[0] == "function-build")
{
    return FunctionBuildBenchmark.Run(args.Length > 1 ? int.Parse(args[1]) : 3);
}

// The soak under faults: dotnet run -c Release --project Benchmarks -- soak [seconds] [clients]
if (args.Length > 0 && args[0] == "soak")
{
    return await SoakBenchmark.RunAsync(TimeSpan.FromSeconds(args.Length > 1 ? int.Parse(args[1]) : 120), args.Length > 2 ? int.Parse(args[2]) : 8);
}

int requests = args.Length == 2 && args[0] == "--requests" ? int.Parse(args[1]) : 2000;
const int Concurrency = 8;

Console.WriteLine($"Items API handler benchmark: {requests} requests per case, .NET {Environment.Version}, {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine($"{"case",-44} {"req/s",9} {"p50 ms",8} {"p99 ms",8} {"alloc/req",10}");

await using (LocalDynamoDbServer server = await LocalDynamoDbServer.StartAsync())
{
    using IAmazonDynamoDB client = ItemsApiFactory.CreateDynamoDbClient(server.Endpoint);
    string table = "bench-" + Guid.NewGuid().ToString("N")[..8];
    await ItemsTableSchema.EnsureExistsAsync(client, table);
    var handler = new ItemsApiHandler(new DynamoItemStore(client, table, TimeProvider.System), CorsPolicy.Disabled);
    string id = await SeedAsync(handler);
    string serverName = server.IsOwnProcess ? "dynalite" : server.Endpoint;

    await RunAsync($"POST /items ({serverName}, 1 client)", handler, _ => Post(), 1);
    await RunAsync($"GET /items/{{id}} ({serverName}, 1 client)", handler, _ => Get(id), 1);
    await RunAsync($"GET /items/{{id}} ({serverName}, {Concurrency} clients)", handler, _ => Get(id), Concurrency);
    await RunAsync($"GET /items?limit=25 ({serverName}, 1 client)", handler, _ => List(), 1, requests / 4);
    await client.DeleteTableAsync(table);
}

Console.WriteLine();
var canned = new ItemsApiHandler(new DynamoItemStore(CannedDynamoDb.Create(), "canned", TimeProvider.System), CorsPolicy.Disabled);
await RunAsync("POST /items (handler only, canned DB)", canned, _ => Post(), 1, requests * 10);
await RunAsync("GET /items/{id} (handler only, canned DB)", canned, _ => Get("01JDQ3Z8Y4K2M5N7P9R1S3T5V7"), 1, requests * 10);
await RunAsync("GET /items?limit=25 (handler only, canned DB)", canned, _ => List(), 1, requests * 10);
await RunAsync("POST /items bad body → 400 (no DB call)", canned, _ => Post("[1,2,3]"), 1, requests * 10);
return 0;

async Task RunAsync(string name, ItemsApiHandler target, Func<int, ApiRequest> request, int concurrency, int? count = null)
{
    int total = count ?? requests;
    for (int i = 0; i < Math.Min(200, total / 10); i++) await target.HandleAsync(request(i)); // warm-up

    var latencies = new double[total];
    int next = -1;
    long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        for (int i = Interlocked.Increment(ref next); i < total; i = Interlocked.Increment(ref next))
        {
            long started = Stopwatch.GetTimestamp();
            ApiResponse response = await target.HandleAsync(request(i));
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode >= 500) throw new InvalidOperationException($"{name}: {response.StatusCode} {response.Body}");
        }
    })));
    clock.Stop();
    long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

    Array.Sort(latencies);
    Console.WriteLine($"{name,-44} {total / clock.Elapsed.TotalSeconds,9:N0} {Percentile(latencies, 0.50),8:N3} {Percentile(latencies, 0.99),8:N3} {allocated / total / 1024.0,8:N1}KB");
}

static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

static ApiRequest Post(string body = """{"name":"lamp","price":12.5,"tags":["a","b"]}""") =>
    new() { Method = "POST", Path = "/items", Body = body, RequestId = "bench" };

static ApiRequest Get(string id) => new() { Method = "GET", Path = $"/items/{id}", RequestId = "bench" };

static ApiRequest List() => new() { Method = "GET", Path = "/items", Query = new Dictionary<string, string> { ["limit"] = "25" }, RequestId = "bench" };

static async Task<string> SeedAsync(ItemsApiHandler handler)
{
    string? id = null;
    for (int i = 0; i < 100; i++)
    {
        ApiResponse created = await handler.HandleAsync(Post());
        id ??= System.Text.Json.JsonDocument.Parse(created.Body!).RootElement.GetProperty("id").GetString();
    }
    return id!;
}
