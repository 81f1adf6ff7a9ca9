using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Amazon.DynamoDBv2;
using ItemsApi.Core.Items;
using ItemsApi.Core.Runtime;
using ItemsApi.Core.Settings;
using ItemsApi.LocalDynamoDb;

namespace ItemsApi.Benchmarks;

/// <summary>
/// Time to first response of a fresh process, for each build of the function: the host (ColdStartHost) does
/// what Lambda's managed runtime does on a cold invoke, against one dynalite, N times per build. The SDK is
/// set up as on Lambda (credential and region variables, the endpoint from AWS_ENDPOINT_URL_DYNAMODB).
/// </summary>
public static class ColdStartBenchmark
{
    /// <summary>One build: publish properties, plus runtime knobs given as environment variables.</summary>
    private sealed record Build(string Name, string[] PublishProperties, Dictionary<string, string> Environment, bool ReadyToRun);

    private static readonly Build[] Builds =
    [
        new("portable (JIT), no priming", [], new() { [FunctionContract.PrimeOnInitVariable] = "false" }, ReadyToRun: false),
        new("ReadyToRun, no priming", [], new() { [FunctionContract.PrimeOnInitVariable] = "false" }, ReadyToRun: true),
        new("ReadyToRun + priming in init (shipped)", [], new(), ReadyToRun: true),
        new("  + TieredPGO off", [], new() { ["DOTNET_TieredPGO"] = "0" }, ReadyToRun: true),
        new("  + TieredCompilation off", [], new() { ["DOTNET_TieredCompilation"] = "0" }, ReadyToRun: true),
        new("  + UseSystemResourceKeys", ["-p:UseSystemResourceKeys=true"], new(), ReadyToRun: true),
        new("  + TieredPGO off, concurrent GC off", [], new() { ["DOTNET_TieredPGO"] = "0", ["DOTNET_gcConcurrent"] = "0" }, ReadyToRun: true),
        new("  + TieredPGO off, 64 MB gen0", [], new() { ["DOTNET_TieredPGO"] = "0", ["DOTNET_GCgen0size"] = "0x4000000" }, ReadyToRun: true),
    ];

    /// <summary>Only the builds whose name contains this (all when null): `coldstart 10 PGO`.</summary>
    public static string? Filter { get; set; }

    public static async Task<int> RunAsync(int runs)
    {
        string root = ProjectFiles.FindRoot();
        string work = Directory.CreateTempSubdirectory("coldstart-").FullName;
        try
        {
            Console.WriteLine($"Cold start of the items function: {runs} fresh processes per build, .NET {Environment.Version}, {Environment.ProcessorCount} cores");
            Console.WriteLine("(time to first response = process start to the serialized response; init = runtime start + constructor)");
            Console.WriteLine();
            await using LocalDynamoDbServer server = await LocalDynamoDbServer.StartAsync();
            using IAmazonDynamoDB client = ItemsApiFactory.CreateDynamoDbClient(server.Endpoint);
            string table = "cold-" + Guid.NewGuid().ToString("N")[..8];
            await ItemsTableSchema.EnsureExistsAsync(client, table);

            Console.WriteLine($"{"build",-40} {"first response ms (median, min-max)",-36} {"init ms",8} {"invoke ms",10} {"at 512 MB*",10} {"peak MB",8} {"zip KB",7}");
            foreach (Build build in Builds.Where(b => Filter is null || b.Name.Contains(Filter, StringComparison.OrdinalIgnoreCase) || b.Name.StartsWith("portable", StringComparison.Ordinal)))
            {
                string host = Publish(root, Path.Combine(work, "ColdStartHost", "ColdStartHost.csproj"), Path.Combine(work, Slug(build.Name)), build, hostProject: true);
                long zip = ZipSize(Publish(root, Path.Combine("Functions", "Functions.csproj"), Path.Combine(work, Slug(build.Name) + "-function"), build, hostProject: false));
                var samples = new List<Sample>();
                for (int i = 0; i < runs; i++) samples.Add(await RunOnceAsync(host, build, server.Endpoint, table));
                Console.WriteLine($"{build.Name,-40} {Median(samples, s => s.FirstResponseMs),7:F0} ({samples.Min(s => s.FirstResponseMs):F0}-{samples.Max(s => s.FirstResponseMs):F0}){"",-20} " +
                                  $"{Median(samples, s => s.InitMs),8:F0} {Median(samples, s => s.InvokeMs),10:F0} {Median(samples, s => s.At512MbMs),10:F0} {samples.Max(s => s.PeakRssKb) / 1024,8:F0} {zip / 1024,7}");
                Sample median = samples.OrderBy(s => s.FirstResponseMs).ElementAt(samples.Count / 2);
                Console.WriteLine($"    breakdown of the median run: runtime start {median.Phases["runtimeStartMs"]:F0}, constructor {median.Phases["constructorMs"]:F0}, " +
                                  $"deserialize {median.Phases["deserializeMs"]:F1}, first invoke {median.Phases["firstInvokeMs"]:F0}, serialize {median.Phases["serializeMs"]:F1}");
            }
            await FirstDynamoDbCallAsync(Path.Combine(work, Slug(Builds[2].Name)), server.Endpoint, table, runs);
            await client.DeleteTableAsync(table);
            Console.WriteLine();
            Console.WriteLine($"* a model, not a measurement: Lambda runs init at full CPU but the invoke at the memory size's share of a vCPU " +
                              $"(one vCPU at {FullCpuMemoryMb} MB), so init + (deserialize + invoke + serialize) x {FullCpuMemoryMb}/512.");
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The memory size at which a Lambda function has one full vCPU (AWS documents CPU as proportional to memory).</summary>
    private const double FullCpuMemoryMb = 1769;

    /// <summary>The steps of the SDK's first DynamoDB call, medians over fresh processes of the shipped build.</summary>
    private static async Task FirstDynamoDbCallAsync(string hostFolder, string endpoint, string table, int runs)
    {
        var medians = new List<Dictionary<string, double>>();
        for (int i = 0; i < runs; i++)
        {
            ProcessStartInfo start = HostStart(hostFolder, endpoint, table, new Dictionary<string, string>());
            start.ArgumentList.Add("sdk");
            using Process process = Process.Start(start)!;
            string line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException(await process.StandardError.ReadToEndAsync());
            await process.WaitForExitAsync();
            medians.Add(JsonSerializer.Deserialize<Dictionary<string, double>>(line)!);
        }
        Console.WriteLine();
        double Median(string key) => medians.Select(m => m[key]).Order().ElementAt(runs / 2);
        Console.WriteLine("The first DynamoDB call of a fresh process (ReadyToRun), medians (of which JIT: time, methods):");
        foreach (string step in medians[0].Keys.Where(k => k.EndsWith("Ms", StringComparison.Ordinal) && !k.EndsWith("JitMs", StringComparison.Ordinal)).Select(k => k[..^2]))
            Console.WriteLine($"    {step,-14} {Median(step + "Ms"),6:F1} ms   (JIT {Median(step + "JitMs"),5:F1} ms, {Median(step + "JitMethods"),4:F0} methods)");
    }

    private sealed record Sample(double FirstResponseMs, double InitMs, double InvokeMs, double PeakRssKb, Dictionary<string, double> Phases)
    {
        /// <summary>The first response modeled at 512 MB: the invoke's phases slowed to 512/1769 of a CPU, init not.</summary>
        public double At512MbMs => InitMs + (Phases["deserializeMs"] + InvokeMs + Phases["serializeMs"]) * FullCpuMemoryMb / 512;
    }

    private static async Task<Sample> RunOnceAsync(string hostFolder, Build build, string endpoint, string table)
    {
        ProcessStartInfo start = HostStart(hostFolder, endpoint, table, build.Environment);

        long started = Stopwatch.GetTimestamp();
        using Process process = Process.Start(start)!;
        Task<string> errors = process.StandardError.ReadToEndAsync();
        string? line = await process.StandardOutput.ReadLineAsync();
        double elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await process.WaitForExitAsync();
        if (line is null || process.ExitCode != 0) throw new InvalidOperationException($"The cold-start host failed ({process.ExitCode}): {await errors}");

        Dictionary<string, double> phases = JsonSerializer.Deserialize<Dictionary<string, double>>(line)!;
        if (phases["status"] != 201) throw new InvalidOperationException($"The cold invoke answered {phases["status"]}: {await errors}");
        return new Sample(elapsed, phases["runtimeStartMs"] + phases["constructorMs"], phases["firstInvokeMs"], phases["peakRssKb"], phases);
    }

    /// <summary>The host, with the SDK set up as on Lambda: credentials and region from the environment, the endpoint from AWS_ENDPOINT_URL_DYNAMODB.</summary>
    private static ProcessStartInfo HostStart(string hostFolder, string endpoint, string table, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(hostFolder, "ItemsApi.ColdStartHost.dll"));
        start.Environment[FunctionContract.TableNameVariable] = table;
        start.Environment["AWS_ENDPOINT_URL_DYNAMODB"] = endpoint;
        start.Environment["AWS_REGION"] = "eu-west-1";
        start.Environment["AWS_ACCESS_KEY_ID"] = "local";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "local";
        start.Environment.Remove(FunctionContract.DynamoDbEndpointVariable);
        foreach ((string name, string value) in environment) start.Environment[name] = value;
        return start;
    }

    private static string Publish(string root, string project, string output, Build build, bool hostProject)
    {
        string projectPath = Path.Combine(root, hostProject ? Path.Combine("Benchmarks", "ColdStartHost", "ColdStartHost.csproj") : project);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (string argument in new[] { "publish", projectPath, "-c", "Release", "-o", output, "--nologo" }) start.ArgumentList.Add(argument);
        if (build.ReadyToRun)
            foreach (string argument in new[] { "-r", "linux-x64", "--self-contained", "false", "-p:PublishReadyToRun=true" }) start.ArgumentList.Add(argument);
        foreach (string property in build.PublishProperties) start.ArgumentList.Add(property);
        using Process process = Process.Start(start)!;
        string log = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet publish {projectPath} failed:{Environment.NewLine}{log}");
        return output;
    }

    private static long ZipSize(string folder)
    {
        string zip = folder + ".zip";
        ZipFile.CreateFromDirectory(folder, zip, CompressionLevel.Optimal, includeBaseDirectory: false);
        return new FileInfo(zip).Length;
    }

    private static double Median(List<Sample> samples, Func<Sample, double> value) =>
        samples.Select(value).Order().ElementAt(samples.Count / 2);

    private static string Slug(string name) =>
        string.Concat(name.Where(char.IsLetterOrDigit)).ToLower(CultureInfo.InvariantCulture);
}
