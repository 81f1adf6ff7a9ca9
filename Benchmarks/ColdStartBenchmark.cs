using System.Diagnostics;
using Amazon.DynamoDBv2;
using ItemsApi.Core.Items;
using ItemsApi.DeployTime.Packaging;
using ItemsApi.Core.Runtime;
using ItemsApi.DeployTime.Settings;
using ItemsApi.LocalDynamoDb;
using ItemsApi.LocalLambda;
using ItemsApi.DeployTime.Project;
using ItemsApi.TestKit;

namespace ItemsApi.Benchmarks;

/// <summary>
/// Time to first response of a fresh function process, build against build, measured as Lambda sees it: a POST event
/// is already waiting at a Runtime API on loopback when the process starts; the clock runs from process start until the
/// function posts its response. The managed builds run the managed dotnet10 runtime's way (ColdStartHost hands the
/// handler string to Amazon.Lambda.RuntimeSupport), the native build as provided.al2023 runs it (the bootstrap itself).
/// All against one dynalite, N fresh processes per build; then warm requests in one process each.
/// </summary>
public static class ColdStartBenchmark
{
    private enum Package { Portable, ReadyToRun, NativeAot }

    /// <summary>One build: how it is packaged, plus function settings given as environment variables.</summary>
    private sealed record Build(string Name, Package Package, Dictionary<string, string> Environment);

    private static readonly Build[] Builds =
    [
        new("portable (JIT), managed dotnet10", Package.Portable, new()),
        new("ReadyToRun, managed dotnet10 (shipped until now)", Package.ReadyToRun, new()),
        new("Native AOT, no priming", Package.NativeAot, new() { [FunctionContract.PrimeOnInitVariable] = "false" }),
        new("Native AOT + priming in init (shipped)", Package.NativeAot, new()),
    ];

    /// <summary>Warm requests per build, in one process, after its first.</summary>
    private const int WarmRequests = 300;

    /// <summary>The memory size at which a Lambda function has one full vCPU (AWS documents CPU as proportional to memory).</summary>
    private const double FullCpuMemoryMb = 1769;

    /// <summary>Lambda's price per GB-second on arm64 (us-east-1, first 6 billion GB-seconds a month), and per request.</summary>
    private const double PricePerGbSecond = 0.0000133334, PricePerRequest = 0.0000002;

    /// <summary>
    /// What a warm request waits for DynamoDB in the same region: single-digit milliseconds, as AWS documents it. Loopback
    /// dynalite answers faster, so the memory table uses this instead of the wait measured here.
    /// </summary>
    private const double DynamoDbLatencyMs = 5;

    public static async Task<int> RunAsync(int runs)
    {
        string root = ProjectFiles.FindRoot();
        string work = Directory.CreateTempSubdirectory("coldstart-").FullName;
        try
        {
            Console.WriteLine($"Cold start of the items function: {runs} fresh processes per build, then {WarmRequests} warm requests; " +
                              $".NET {Environment.Version}, {Environment.ProcessorCount} cores");
            Console.WriteLine("(first response = process start to the response at the Runtime API; init = until the runtime asks for the event)");
            Console.WriteLine();
            await using LocalDynamoDbServer server = await LocalDynamoDbServer.StartAsync();
            using IAmazonDynamoDB client = ItemsApiFactory.CreateDynamoDbClient(server.Endpoint);
            string table = "cold-" + Guid.NewGuid().ToString("N")[..8];
            await ItemsTableSchema.EnsureExistsAsync(client, table);

            Console.WriteLine($"{"build",-50} {"first response ms (median, min-max)",-36} {"init",6} {"invoke",7} {"at 256 MB*",10} {"peak MB",8} {"warm ms",8} {"warm CPU ms",12} {"zip KB",7}");
            var results = new List<(Build Build, Summary Summary)>();
            var packages = new Dictionary<Package, (FunctionLaunch, long)>();
            foreach (Build build in Builds)
            {
                if (!packages.TryGetValue(build.Package, out (FunctionLaunch, long) prepared))
                    packages[build.Package] = prepared = Prepare(root, work, build.Package);
                (FunctionLaunch launch, long zip) = prepared;
                var samples = new List<Sample>();
                for (int i = 0; i < runs; i++) samples.Add(await ColdAsync(launch, build, server.Endpoint, table));
                Warm warm = await WarmAsync(launch, build, server.Endpoint, table);
                var summary = new Summary(samples, warm, zip);
                results.Add((build, summary));
                Console.WriteLine($"{build.Name,-50} {summary.Median(s => s.FirstResponseMs),7:F0} ({samples.Min(s => s.FirstResponseMs):F0}-{samples.Max(s => s.FirstResponseMs):F0}){"",-20} " +
                                  $"{summary.Median(s => s.InitMs),6:F0} {summary.Median(s => s.InvokeMs),7:F1} {summary.At(256),10:F0} {summary.PeakMb,8:F0} " +
                                  $"{warm.WallMs,8:F2} {warm.CpuMs,12:F2} {zip / 1024,7}");
            }
            await client.DeleteTableAsync(table);

            Console.WriteLine();
            Console.WriteLine("* a model, not a measurement: Lambda runs init at full CPU but the invoke at the memory size's share of a vCPU " +
                              $"(one vCPU at {FullCpuMemoryMb} MB), so init + invoke x {FullCpuMemoryMb}/256 at the default 256 MB.");
            Summary shipped = results.Single(r => r.Build.Name.EndsWith("(shipped)", StringComparison.Ordinal)).Summary;
            Summary readyToRun = results.Single(r => r.Build.Package == Package.ReadyToRun).Summary;
            Console.WriteLine($"Native AOT (shipped) / ReadyToRun, median first response: {shipped.Median(s => s.FirstResponseMs) / readyToRun.Median(s => s.FirstResponseMs):F2}x");
            Console.WriteLine();
            Console.WriteLine($"Memory size for the shipped build (model: its CPU work slowed to the size's share of a vCPU, plus {DynamoDbLatencyMs} ms waiting on DynamoDB):");
            Console.WriteLine($"{"MB",6} {"cold first response ms",24} {"warm request ms",16} {"$ per million: duration",24} {"+ requests",11}");
            foreach (int memory in new[] { 128, 256, 512, 1024 })
            {
                double warmMs = shipped.Warm.CpuMs * Slowdown(memory) + DynamoDbLatencyMs;
                double duration = 1e6 * memory / 1024.0 * Math.Ceiling(warmMs) / 1000 * PricePerGbSecond;
                Console.WriteLine($"{memory,6} {shipped.At(memory),24:F0} {warmMs,16:F1} {duration,24:F3} {duration + 1e6 * PricePerRequest,11:F3}");
            }
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static double Slowdown(int memoryMb) => Math.Max(1, FullCpuMemoryMb / memoryMb);

    private sealed record Sample(double FirstResponseMs, double InitMs, double InvokeMs, double PeakKb);

    private sealed record Warm(double WallMs, double CpuMs, double PeakKb);

    private sealed record Summary(List<Sample> Samples, Warm Warm, long Zip)
    {
        public double Median(Func<Sample, double> value) => Samples.Select(value).Order().ElementAt(Samples.Count / 2);

        /// <summary>The first response modeled at a memory size: init at full CPU, the invoke slowed to the size's share.</summary>
        public double At(int memoryMb) => Median(s => s.InitMs + s.InvokeMs * Slowdown(memoryMb));

        public double PeakMb => Math.Max(Samples.Max(s => s.PeakKb), Warm.PeakKb) / 1024;
    }

    /// <summary>One cold invoke: the event waits at the Runtime API before the process starts.</summary>
    private static async Task<Sample> ColdAsync(FunctionLaunch launch, Build build, string endpoint, string table)
    {
        await using LambdaRuntimeProcess function = await LambdaRuntimeProcess.StartAsync(launch, "JSON", FunctionEnvironment(build, endpoint, table), PostEvent);
        InvocationResult first = await function.FirstInvocation;
        Sample sample = new(Ms(first.AnsweredAt - function.StartedAt), Ms(function.InitDoneAt - function.StartedAt),
            Ms(first.AnsweredAt - function.InitDoneAt), function.PeakMemoryKb());
        int status = first.Json.GetProperty("statusCode").GetInt32();
        if (status != 201) throw new InvalidOperationException($"{build.Name}: the cold invoke answered {status}: {first.Body}");
        return sample;
    }

    /// <summary>Warm requests in one process: the median wall time of each, and the CPU time they used on average.</summary>
    private static async Task<Warm> WarmAsync(FunctionLaunch launch, Build build, string endpoint, string table)
    {
        await using LambdaRuntimeProcess function = await LambdaRuntimeProcess.StartAsync(launch, "JSON", FunctionEnvironment(build, endpoint, table), PostEvent);
        await function.FirstInvocation;
        for (int i = 0; i < 50; i++) await function.InvokeAsync(PostEvent); // past tiering and first-use work
        double cpuBefore = function.CpuTimeMs();
        var wall = new List<double>();
        for (int i = 0; i < WarmRequests; i++)
        {
            long started = Stopwatch.GetTimestamp();
            InvocationResult result = await function.InvokeAsync(PostEvent);
            wall.Add(Ms(result.AnsweredAt - started));
        }
        return new Warm(wall.Order().ElementAt(wall.Count / 2), (function.CpuTimeMs() - cpuBefore) / WarmRequests, function.PeakMemoryKb());
    }

    private static Dictionary<string, string> FunctionEnvironment(Build build, string endpoint, string table)
    {
        // The SDK set up as on Lambda: credentials and region from the environment, the endpoint from AWS_ENDPOINT_URL_DYNAMODB.
        var environment = new Dictionary<string, string>
        {
            [FunctionContract.TableNameVariable] = table, ["AWS_ENDPOINT_URL_DYNAMODB"] = endpoint,
            ["AWS_ACCESS_KEY_ID"] = "local", ["AWS_SECRET_ACCESS_KEY"] = "local",
        };
        foreach ((string name, string value) in build.Environment) environment[name] = value;
        return environment;
    }

    /// <summary>Publishes a build; returns how Lambda would start it and the size of its zipped package.</summary>
    private static (FunctionLaunch Launch, long ZipBytes) Prepare(string root, string work, Package package)
    {
        string folder = Path.Combine(work, package.ToString());
        if (package == Package.NativeAot)
        {
            PublishedFunction native = FunctionPublisher.Publish(root, folder, FunctionBuild.NativeAot, LambdaArchitecture.X86_64);
            return (FunctionLaunch.Native(Path.Combine(native.Folder, FunctionContract.NativeExecutable), FunctionContract.ItemsEntryPoint), new FileInfo(native.Zip).Length);
        }

        // The function package as `pulumi up` builds it (portable: without a runtime identifier, as before ReadyToRun) ...
        string functionFolder = folder + "-function";
        string zip = functionFolder + ".zip";
        if (package == Package.ReadyToRun) FunctionPublisher.Publish(root, functionFolder, FunctionBuild.ReadyToRun, LambdaArchitecture.X86_64);
        else
        {
            DotnetPublish(root, Path.Combine("Functions", "Functions.csproj"), functionFolder);
            FunctionPublisher.WriteZip(functionFolder, zip);
        }
        // ... and the managed runtime's entry point beside it, built the same way.
        DotnetPublish(root, Path.Combine("Benchmarks", "ColdStartHost", "ColdStartHost.csproj"), folder,
            package == Package.ReadyToRun ? ["-r", "linux-x64", "--self-contained", "false", "-p:PublishReadyToRun=true"] : []);
        return (FunctionLaunch.Managed(Path.Combine(folder, "ItemsApi.ColdStartHost.dll"), FunctionContract.ItemsHandler), new FileInfo(zip).Length);
    }

    private static void DotnetPublish(string root, string project, string output, params string[] options)
    {
        ProcessOutcome publish = ProcessRun.RunAsync("dotnet", ["publish", project, "-c", "Release", "-o", output, "--nologo", .. options], root,
            timeout: TimeSpan.FromMinutes(20)).GetAwaiter().GetResult();
        if (publish.ExitCode != 0) throw new InvalidOperationException($"dotnet publish {project} failed:{Environment.NewLine}{publish.Output}{publish.Errors}");
    }

    private static double Ms(long stopwatchTicks) => stopwatchTicks * 1000.0 / Stopwatch.Frequency;

    /// <summary>A POST /items event as API Gateway's REST proxy integration sends it.</summary>
    private static readonly string PostEvent =
        ApiGatewayEvents.ProxyRequest("POST", "/items", "/items", "cold-1", """{"name":"lamp","price":12.5,"tags":["a","b"]}""");
}
