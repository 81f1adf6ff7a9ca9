using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ItemsApi.DeployTime.Settings;
using ItemsApi.LocalDynamoDb;
using ItemsApi.LocalGateway;
using ItemsApi.TestKit.Faults;

namespace ItemsApi.Benchmarks;

/// <summary>
/// The soak under faults (README: Benchmark): clients create, read, replace and delete their own items through the local
/// gateway for a bounded time, first with a healthy DynamoDB, then with the fault-injecting proxy answering a mix of
/// throttling, 5xx, dropped connections and slow answers. Clients do what the README tells them to: every create carries
/// an Idempotency-Key, kept across its retries; 503s and lost answers are retried with capped exponential backoff and
/// full jitter, no sooner than Retry-After says. Afterwards, with the faults off, the table is read back and compared
/// with what the clients were told.
/// </summary>
public static class SoakBenchmark
{
    private const int MaxAttempts = 8;
    private static readonly TimeSpan BackoffBase = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan BackoffCap = TimeSpan.FromSeconds(2);

    /// <summary>The faults of the faulty phase, per DynamoDB call, drawn in this order (each a share of the calls).</summary>
    private static readonly (DynamoDbFault Fault, double Probability)[] FaultMix =
    [
        (DynamoDbFault.ProvisionedThroughputExceeded, 0.05),
        (DynamoDbFault.Throttling, 0.02),
        (DynamoDbFault.RequestLimitExceeded, 0.01),
        (DynamoDbFault.InternalServerError, 0.03),
        (DynamoDbFault.ServiceUnavailable, 0.01),
        (DynamoDbFault.DropBefore, 0.01),
        (DynamoDbFault.DropAfter, 0.01),
        (DynamoDbFault.DelayBefore(TimeSpan.FromMilliseconds(300)), 0.02),
        // Longer than the SDK's attempt timeout: the write lands, the attempt gives up, the retry meets it.
        (DynamoDbFault.DelayAfter(TimeSpan.FromSeconds(2.5)), 0.005),
    ];

    public static async Task<int> RunAsync(TimeSpan duration, int clients)
    {
        Console.WriteLine($"Soak under faults: {clients} clients, {duration.TotalSeconds:0} s ({duration.TotalSeconds / 4:0} s healthy, then faults), .NET {Environment.Version}, {Environment.ProcessorCount} cores");

        await using LocalDynamoDbServer dynamoDb = await LocalDynamoDbServer.StartAsync();
        await using FaultyDynamoDbProxy proxy = await FaultyDynamoDbProxy.StartAsync(dynamoDb.Endpoint, seed: 20261208);
        const string apiKey = "soak-benchmark-key-0123456789";
        StageSettings settings = StageSettings.Load(key => SoakConfig.GetValueOrDefault(key), "soak");
        await using LocalApiGateway gateway = await LocalApiGateway.StartAsync(new LocalGatewayOptions
        {
            Stage = settings, ApiKey = apiKey, Port = 0, DynamoDbEndpoint = proxy.Endpoint,
            AccessLog = TextWriter.Null, ErrorLog = TextWriter.Null,
        });

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(35) };
        http.DefaultRequestHeaders.Add("x-api-key", apiKey);
        var run = new SoakRun(http, new Uri(gateway.ItemsUrl));

        var clock = Stopwatch.StartNew();
        TimeSpan calm = duration / 4;
        Task[] workers = Enumerable.Range(0, clients).Select(i => run.ClientAsync(i, clock, duration)).ToArray();
        await Task.Delay(calm);
        run.Faulty = true;
        foreach ((DynamoDbFault fault, double probability) in FaultMix) proxy.Inject(new FaultRule(fault, Probability: probability));
        await Task.WhenAll(workers);
        proxy.ClearFaults();
        run.Faulty = false;

        SoakReport report = await run.CheckAsync();
        int faults = proxy.Calls.Count(c => c.Fault is not null);
        Console.WriteLine();
        Console.WriteLine($"DynamoDB calls through the proxy: {proxy.Calls.Count}, faults injected: {faults}");
        foreach (IGrouping<string, ProxiedCall> kind in proxy.Calls.Where(c => c.Fault is not null).GroupBy(c => FaultName(c.Fault!)).OrderBy(g => g.Key))
            Console.WriteLine($"  {kind.Key,-40} {kind.Count(),6}");
        report.Print();
        return report.Passed ? 0 : 1;
    }

    private static string FaultName(DynamoDbFault fault) => fault switch
    {
        DynamoDbFault.ErrorAnswer error => $"{(int)error.Status} {error.Code}",
        DynamoDbFault.Drop drop => drop.AfterForwarding ? "connection dropped after the write" : "connection dropped before the call",
        DynamoDbFault.Delay delay => $"delayed {delay.Duration.TotalMilliseconds:0} ms",
        _ => fault.ToString(),
    };

    /// <summary>
    /// A stage with no usage-plan or stage throttle in the way (the soak measures faults, not 429s), and a 3 s function
    /// timeout, so a slow DynamoDB meets the request's deadline within the run.
    /// </summary>
    private static readonly Dictionary<string, string> SoakConfig = new()
    {
        [ConfigKeys.StageName.Name] = "soak",
        [ConfigKeys.LambdaTimeoutSeconds.Name] = "3",
        [ConfigKeys.StageThrottleRateLimit.Name] = "5000",
        [ConfigKeys.StageThrottleBurstLimit.Name] = "5000",
        [ConfigKeys.UsagePlanRateLimit.Name] = "5000",
        [ConfigKeys.UsagePlanBurstLimit.Name] = "5000",
        [ConfigKeys.QuotaLimit.Name] = "100000000",
    };

    /// <summary>What one client believes about one of its items, from the answers it was given.</summary>
    private sealed class Belief(string marker)
    {
        public string Marker { get; } = marker;
        public string? Id { get; set; }
        public long Version { get; set; }
        public string Document { get; set; } = "";
        public bool Deleted { get; set; }
        /// <summary>A write whose answer never came: it may or may not have landed (version + document).</summary>
        public (long Version, string Document)? Unknown { get; set; }
        public bool UnknownDelete { get; set; }
    }

    private sealed class SoakRun(HttpClient http, Uri itemsUrl)
    {
        private readonly ConcurrentQueue<Belief> _beliefs = new();
        private readonly ConcurrentDictionary<string, int> _statuses = new();
        private readonly ConcurrentQueue<double> _calmLatencies = new();
        private readonly ConcurrentQueue<double> _faultyLatencies = new();
        private int _createsAcknowledged;
        private int _createsAbandoned;
        private int _staleReads;

        public volatile bool Faulty;

        public async Task ClientAsync(int client, Stopwatch clock, TimeSpan duration)
        {
            var random = new Random(client);
            var mine = new List<Belief>();
            int operation = 0;
            while (clock.Elapsed < duration)
            {
                operation++;
                List<Belief> live = mine.Where(b => b.Id is not null && !b.Deleted).ToList();
                double pick = random.NextDouble();
                if (live.Count < 3 || pick < 0.3) await CreateAsync(client, operation, random, mine);
                else
                {
                    Belief item = live[random.Next(live.Count)];
                    if (pick < 0.55) await ReadAsync(item, random);
                    else if (pick < 0.85) await ReplaceAsync(item, client, operation, random);
                    else await DeleteAsync(item, random);
                }
            }
        }

        private async Task CreateAsync(int client, int operation, Random random, List<Belief> mine)
        {
            string marker = $"soak-{client}-{operation}-{random.Next():x8}";
            var belief = new Belief(marker) { Document = Document(marker, 1) };
            mine.Add(belief);
            _beliefs.Enqueue(belief);
            string key = Guid.NewGuid().ToString();
            Answer? answer = await SendWithRetriesAsync(random, () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, itemsUrl) { Content = Json(belief.Document) };
                request.Headers.Add("Idempotency-Key", key);
                return request;
            });
            if (answer is { Status: 201 } created)
            {
                JsonNode item = JsonNode.Parse(created.Body)!;
                belief.Id = item["id"]!.GetValue<string>();
                belief.Version = item["version"]!.GetValue<long>();
                Interlocked.Increment(ref _createsAcknowledged);
            }
            else Interlocked.Increment(ref _createsAbandoned);
        }

        private async Task ReadAsync(Belief item, Random random)
        {
            Answer? answer = await SendWithRetriesAsync(random, () => new HttpRequestMessage(HttpMethod.Get, ItemUrl(item)));
            if (answer is null) return;
            if (answer.Status == 404 && item.UnknownDelete) { item.Deleted = true; return; }
            if (answer.Status != 200) { Interlocked.Increment(ref _staleReads); return; }
            Reconcile(item, JsonNode.Parse(answer.Body)!);
        }

        private async Task ReplaceAsync(Belief item, int client, int operation, Random random)
        {
            long next = item.Version + 1;
            string document = Document(item.Marker, operation);
            long expected = item.Version;
            item.Unknown = (next, document);
            Answer? answer = await SendWithRetriesAsync(random, () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Put, ItemUrl(item)) { Content = Json(document) };
                request.Headers.TryAddWithoutValidation("If-Match", $"\"{expected}\"");
                return request;
            });
            if (answer is { Status: 200 })
            {
                item.Version = next;
                item.Document = document;
                item.Unknown = null;
            }
            else if (answer is { Status: 412 }) await ReadAsync(item, random); // an earlier attempt landed, or not: read to know
        }

        private async Task DeleteAsync(Belief item, Random random)
        {
            long expected = item.Version;
            item.UnknownDelete = true;
            Answer? answer = await SendWithRetriesAsync(random, () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Delete, ItemUrl(item));
                request.Headers.TryAddWithoutValidation("If-Match", $"\"{expected}\"");
                return request;
            });
            // A 404 on a retry: the earlier attempt deleted it (only this client touches its items).
            if (answer is { Status: 204 or 404 })
            {
                item.Deleted = true;
                item.UnknownDelete = false;
            }
        }

        /// <summary>A read settles a write whose answer was lost: the item shows whether it landed.</summary>
        private void Reconcile(Belief item, JsonNode stored)
        {
            long version = stored["version"]!.GetValue<long>();
            string document = stored["data"]!.ToJsonString();
            if (version == item.Version && document == item.Document) { item.Unknown = null; return; }
            if (item.Unknown is { } unknown && version == unknown.Version && document == unknown.Document)
            {
                item.Version = version;
                item.Document = document;
                item.Unknown = null;
                return;
            }
            Interlocked.Increment(ref _staleReads);
        }

        private sealed record Answer(int Status, string Body);

        /// <summary>Sends, retrying 503s, 409s (a create still in flight) and lost answers; null when it gave up.</summary>
        private async Task<Answer?> SendWithRetriesAsync(Random random, Func<HttpRequestMessage> request)
        {
            for (int attempt = 1; attempt <= MaxAttempts; attempt++)
            {
                long started = Stopwatch.GetTimestamp();
                TimeSpan? retryAfter = null;
                int status;
                string body = "";
                try
                {
                    using HttpResponseMessage response = await http.SendAsync(request());
                    status = (int)response.StatusCode;
                    body = await response.Content.ReadAsStringAsync();
                    retryAfter = response.Headers.RetryAfter?.Delta;
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    status = 0;
                }
                (Faulty ? _faultyLatencies : _calmLatencies).Enqueue(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                _statuses.AddOrUpdate(status == 0 ? "no answer" : status.ToString(CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                if (status is not (0 or 409 or 502 or 503 or 504)) return new Answer(status, body);

                // Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"), never sooner than Retry-After.
                double ceiling = Math.Min(BackoffCap.TotalMilliseconds, BackoffBase.TotalMilliseconds * Math.Pow(2, attempt));
                TimeSpan wait = TimeSpan.FromMilliseconds(random.NextDouble() * ceiling);
                if (retryAfter is { } floor && floor > wait) wait = floor;
                await Task.Delay(wait);
            }
            return null;
        }

        private Uri ItemUrl(Belief item) => new($"{itemsUrl.ToString().TrimEnd('/')}/{item.Id}");

        private static string Document(string marker, int operation) =>
            $$"""{"marker":"{{marker}}","operation":{{operation}}}""";

        private static StringContent Json(string document) => new(document, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

        /// <summary>Reads every item back (faults off) and compares the table with what the clients were told.</summary>
        public async Task<SoakReport> CheckAsync()
        {
            var stored = new List<JsonNode>();
            string? next = null;
            do
            {
                string url = $"{itemsUrl}?limit=100" + (next is null ? "" : "&nextToken=" + Uri.EscapeDataString(next));
                using HttpResponseMessage response = await http.GetAsync(url);
                response.EnsureSuccessStatusCode();
                JsonNode page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                stored.AddRange(page["items"]!.AsArray().Select(i => i!));
                next = page["nextToken"]?.GetValue<string>();
            } while (next is not null);

            ILookup<string, JsonNode> byMarker = stored.ToLookup(i => i["data"]!["marker"]!.GetValue<string>());
            Belief[] beliefs = [.. _beliefs];
            int duplicates = byMarker.Count(g => g.Count() > 1);
            int lost = 0;
            foreach (Belief belief in beliefs.Where(b => b.Id is not null))
            {
                JsonNode[] found = byMarker[belief.Marker].ToArray();
                if (belief.Deleted) { lost += found.Length > 0 ? 1 : 0; continue; }
                if (belief.UnknownDelete && found.Length == 0) continue;
                JsonNode? item = found.FirstOrDefault(i => i["id"]!.GetValue<string>() == belief.Id);
                if (item is null) { lost++; continue; }
                long version = item["version"]!.GetValue<long>();
                string document = item["data"]!.ToJsonString();
                bool acknowledged = version == belief.Version && document == belief.Document;
                bool unknownLanded = belief.Unknown is { } unknown && version == unknown.Version && document == unknown.Document;
                if (!acknowledged && !unknownLanded) lost++;
            }
            int acknowledgedCreates = beliefs.Count(b => b.Id is not null);
            // Every item an acknowledged create made: those still stored, and those a client deleted.
            int madeByAcknowledged = beliefs.Where(b => b.Id is not null).Sum(b => byMarker[b.Marker].Count() + (b.Deleted ? 1 : 0));
            int abandonedStored = beliefs.Where(b => b.Id is null).Sum(b => byMarker[b.Marker].Count());
            return new SoakReport(new Dictionary<string, int>(_statuses), acknowledgedCreates, _createsAbandoned, madeByAcknowledged,
                abandonedStored, lost, duplicates, _staleReads, [.. _calmLatencies], [.. _faultyLatencies]);
        }
    }

    private sealed record SoakReport(Dictionary<string, int> Statuses, int CreatesAcknowledged, int CreatesAbandoned, int ItemsFromAcknowledgedCreates,
        int AbandonedCreatesStored, int LostAcknowledgedWrites, int Duplicates, int UnexpectedReads, double[] CalmLatencies, double[] FaultyLatencies)
    {
        public bool Passed => LostAcknowledgedWrites == 0 && Duplicates == 0 && ItemsFromAcknowledgedCreates == CreatesAcknowledged;

        public void Print()
        {
            Console.WriteLine();
            Console.WriteLine($"Requests (every attempt): {Statuses.Values.Sum()}");
            foreach ((string status, int count) in Statuses.OrderBy(s => s.Key, StringComparer.Ordinal)) Console.WriteLine($"  {status,-10} {count,8}");
            Console.WriteLine($"Creates acknowledged (201): {CreatesAcknowledged}; abandoned after {MaxAttempts} attempts: {CreatesAbandoned} (of which stored: {AbandonedCreatesStored})");
            double perCreate = CreatesAcknowledged == 0 ? 0 : (double)ItemsFromAcknowledgedCreates / CreatesAcknowledged;
            Console.WriteLine($"Items created per successful create: {perCreate:0.00} (must be 1.00)");
            Console.WriteLine($"Lost acknowledged writes: {LostAcknowledgedWrites} (must be 0)");
            Console.WriteLine($"Duplicates: {Duplicates} (must be 0)");
            Console.WriteLine($"Reads that matched no answer the client was given: {UnexpectedReads}");
            Console.WriteLine($"Latency per attempt, healthy: p50 {Percentile(CalmLatencies, 50):0.0} ms, p99 {Percentile(CalmLatencies, 99):0.0} ms ({CalmLatencies.Length} requests)");
            Console.WriteLine($"Latency per attempt, faults:  p50 {Percentile(FaultyLatencies, 50):0.0} ms, p99 {Percentile(FaultyLatencies, 99):0.0} ms ({FaultyLatencies.Length} requests)");
            Console.WriteLine(Passed ? "PASSED" : "FAILED");
        }

        private static double Percentile(double[] values, int percentile)
        {
            if (values.Length == 0) return double.NaN;
            double[] sorted = [.. values.Order()];
            return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1)];
        }
    }
}
