using ItemsApi.DeployTime.Settings;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using ItemsApi.Core.Routes;
using ItemsApi.DeployTime.Packaging;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.LocalGateway.Tests;

/// <summary>The local run as a user starts it: a separate process, stopped with Ctrl-C.</summary>
public sealed partial class LocalRunProcessTests
{
    private static readonly string Root = ProjectFiles.FindRoot();
    private static readonly string GatewayDll = typeof(LocalApiGateway).Assembly.Location;

    private static RunningProcess Start(params string[] arguments) => StartIn(Root, arguments);

    private static RunningProcess StartIn(string workingDirectory, params string[] arguments) =>
        ProcessRun.Start("dotnet", [GatewayDll, .. arguments], workingDirectory);

    /// <summary>The local run to its end: its exit code, standard output and standard error.</summary>
    private static Task<ProcessOutcome> RunAsync(params string[] arguments) =>
        ProcessRun.RunAsync("dotnet", [GatewayDll, .. arguments], Root, timeout: TimeSpan.FromSeconds(90));

    [Fact]
    public async Task The_openapi_command_writes_the_document()
    {
        string file = Path.Combine(Path.GetTempPath(), $"openapi-{Guid.NewGuid():N}.json");
        try
        {
            ProcessOutcome run = await RunAsync("openapi", file);
            Assert.True(run.ExitCode == 0, run.Errors);
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(file));
            Assert.Equal(RouteTable.PathTemplates.Order(), document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).Order());
            // A server to edit: the deployed stage's URL, its parts as variables, dev's region and stage filled in.
            JsonElement server = Assert.Single(document.RootElement.GetProperty("servers").EnumerateArray());
            Assert.Equal("https://{restApiId}.execute-api.{region}.amazonaws.com/{stage}", server.GetProperty("url").GetString());
            JsonElement variables = server.GetProperty("variables");
            Assert.Equal(StackFile.Load(Root, "dev").AwsRegion, variables.GetProperty("region").GetProperty("default").GetString());
            Assert.Equal("dev", variables.GetProperty("stage").GetProperty("default").GetString());
            Assert.True(variables.TryGetProperty("restApiId", out _));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Bad_options_exit_with_a_clear_message()
    {
        ProcessOutcome run = await RunAsync("--stack", "staging");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Pulumi.staging.yaml", run.Errors);
    }

    [Theory]
    [InlineData("Unrecognized command or argument '--bogus'. (--help lists the options)", "--bogus")]
    [InlineData("Required argument missing for option: '--port'. (--help lists the options)", "--port")]
    [InlineData("--port must be 0 to 65535, not 'x'. (--help lists the options)", "--port", "x")]
    [InlineData("--port must be 0 to 65535, not '65536'. (--help lists the options)", "--port", "65536")]
    [InlineData("--api-key must be 20 to 128 characters, as API Gateway requires, not 5. (--help lists the options)", "--api-key", "short")]
    [InlineData("--token must be a token API Gateway lets through: letters, digits and -._~+/ (then optional '='). (--help lists the options)", "--token", "a token")]
    public async Task An_unknown_option_or_a_bad_value_is_one_line_and_exit_code_2(string message, params string[] arguments)
    {
        (int exit, string output, string errors) = await RunAsync(arguments);

        Assert.Equal((2, ""), (exit, output));
        Assert.Equal(message + Environment.NewLine, errors);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_lists_every_option_with_its_default_and_exits_0(string help)
    {
        (int exit, string output, string errors) = await RunAsync(help);

        Assert.Equal((0, ""), (exit, errors));
        Assert.Contains("Usage:\n  dotnet run --project LocalGateway -- [command] [options]", output.ReplaceLineEndings("\n"));
        string[] options = ["--stack <name>", "--port <n>", "--api-key <key>", "--token <token>", "--data-dir <dir>", "--dynamodb-endpoint <url>"];
        Assert.Equal(options.Length, new LocalRunCommand().Root.Options.Count - 1); // every option but --help is listed here
        CommandHelp.AssertEachOptionHasADefault(output, options);
        Assert.Contains("[default: 3000]", output);
        Assert.Contains("[default: dev]", output);
        Assert.Contains("openapi <file>", output);
        Assert.Contains("sync-config", output);
        Assert.Contains("function-build-key", output);
    }

    [Fact]
    public async Task The_function_build_key_is_the_hash_the_program_computes_for_the_stages_build()
    {
        (int exit, string output, string errors) = await RunAsync("function-build-key", "--stack", "prod");

        Assert.Equal((0, ""), (exit, errors));
        string root = ProjectFiles.FindRoot();
        StageSettings prod = StageSettings.Load(StackFile.Load(root, "prod").Get, "prod");
        var inputs = FunctionBuildInputs.Collect(root, prod.FunctionBuild, prod.LambdaArchitecture, DotnetSdk.Find(root));
        Assert.Equal($"items-api-function-build-{inputs.Hash}\n", output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_port_in_use_is_one_line_naming_the_port_and_the_option_and_exit_code_2()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        string port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        (int exit, string output, string errors) = await RunAsync("--port", port, "--stack", "dev");
        Assert.Equal(2, exit);
        string line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"Port {port} on 127.0.0.1 is in use. Stop what listens there, or choose another with --port (--port 0 picks a free one).", line);
        Assert.DoesNotContain("   at ", output + errors);
    }

    [Fact]
    public async Task It_prints_url_stage_and_key_serves_requests_and_stops_cleanly_on_ctrl_c()
    {
        await using RunningProcess process = Start("--port", "0", "--stack", "dev");
        IReadOnlyList<string> output = await process.ReadLinesUntilAsync(
            lines => new[] { "URL", "API key", "DynamoDB", "Docs" }.All(name => Field(lines, name) is not null), TimeSpan.FromSeconds(90));
        string url = Field(output, "URL")!, key = Field(output, "API key")!;
        string dynamoDb = Field(output, "DynamoDB")!.Split(' ')[0], docs = Field(output, "Docs")!.Split(' ')[0];
        Assert.Contains(output, line => line.Contains("stage 'dev'"));
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/dev/items$", url);

        using (var http = new HttpClient())
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add("x-api-key", key);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
            // The banner's API reference page, on the same port.
            Assert.Equal(url.Replace("/dev/items", "/docs"), docs);
            Assert.Contains("<div id=\"swagger-ui\">", await http.GetStringAsync(docs));
        }

        Interrupt(process);
        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        // Nothing left running: neither the gateway's port nor dynalite's accepts connections.
        Assert.False(await AcceptsAsync(new Uri(url)));
        Assert.False(await AcceptsAsync(new Uri(dynamoDb)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task If_dynalite_dies_the_local_run_says_so_once_and_exits_1_and_answered_writes_survive_in_the_data_dir(bool dataDir)
    {
        string data = Directory.CreateTempSubdirectory("items-api-data-").FullName;
        try
        {
            string[] dataOption = dataDir ? ["--data-dir", data] : [];
            (RunningProcess process, string url, string key) = await StartServingAsync(["--port", "0", "--stack", "dev", .. dataOption]);
            await using (process)
            {
                using var http = new HttpClient();
                var create = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent("""{"kept":true}""", System.Text.Encoding.UTF8, "application/json") };
                create.Headers.Add("x-api-key", key);
                HttpResponseMessage created = await http.SendAsync(create);
                Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
                string id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

                int dynalite = ChildProcesses(process.Id).Single(pid => File.ReadAllText($"/proc/{pid}/cmdline").Contains("dynalite"));
                Process.GetProcessById(dynalite).Kill();

                Assert.Equal(1, await process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
                string message = Assert.Single((await process.ErrorsAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries));
                Assert.StartsWith($"DynamoDB (dynalite, process {dynalite}) stopped unexpectedly, so the local stage stopped too", message);
                Assert.Contains(dataDir ? $"Your data is in {data}: every write that was answered is there" : "The items were in memory and are gone", message);
                if (!dataDir) return;

                // What was acknowledged is there after a restart on the same directory.
                (RunningProcess again, string url2, string key2) = await StartServingAsync(["--port", "0", "--stack", "dev", .. dataOption]);
                await using (again)
                {
                    var read = new HttpRequestMessage(HttpMethod.Get, $"{url2}/{id}");
                    read.Headers.Add("x-api-key", key2);
                    Assert.Equal(System.Net.HttpStatusCode.OK, (await http.SendAsync(read)).StatusCode);
                    Interrupt(again);
                    await again.WaitForExitAsync(TimeSpan.FromSeconds(30));
                }
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Starts the local run and reads its banner up to the URL and key.</summary>
    private static async Task<(RunningProcess Process, string Url, string Key)> StartServingAsync(string[] arguments)
    {
        RunningProcess process = Start(arguments);
        IReadOnlyList<string> banner = await process.ReadLinesUntilAsync(lines => Field(lines, "URL") is not null && Field(lines, "API key") is not null,
            TimeSpan.FromSeconds(90));
        return (process, Field(banner, "URL")!, Field(banner, "API key")!);
    }

    /// <summary>The direct children of a process, from Linux's /proc (the local run's dynalite is one).</summary>
    private static IEnumerable<int> ChildProcesses(int pid) =>
        Directory.GetDirectories($"/proc/{pid}/task")
            .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(int.Parse);

    [Fact]
    public async Task A_stack_with_encrypted_token_hashes_runs_locally_with_a_printed_token()
    {
        string project = Directory.CreateTempSubdirectory("items-api-project-").FullName;
        try
        {
            File.Copy(Path.Combine(Root, "Pulumi.yaml"), Path.Combine(project, "Pulumi.yaml"));
            File.WriteAllText(Path.Combine(project, "Pulumi.secure.yaml"), """
                config:
                  items-api:authMode: apiKey+authorizer
                  items-api:authorizerTokenHashes:
                    secure: AAABAGVuY3J5cHRlZA==
                """);
            await using RunningProcess process = StartIn(project, "--port", "0", "--stack", "secure", "--api-key", "local-key-0123456789abcdef");
            IReadOnlyList<string> banner = await process.ReadLinesUntilAsync(lines => Field(lines, "URL") is not null && Field(lines, "Token") is not null,
                TimeSpan.FromSeconds(90));
            string url = Field(banner, "URL")!, token = Field(banner, "Token")!.Split(' ')[0];

            using var http = new HttpClient();
            async Task<System.Net.HttpStatusCode> GetAsync(string? bearer)
            {
                var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Add("x-api-key", "local-key-0123456789abcdef");
                if (bearer is not null) request.Headers.Add("Authorization", "Bearer " + bearer);
                return (await http.SendAsync(request)).StatusCode;
            }
            Assert.Equal(System.Net.HttpStatusCode.OK, await GetAsync(token));
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await GetAsync(null));
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await GetAsync("not-the-token"));

            Interrupt(process);
            await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    /// <summary>The value of the banner's line "  name: value", the first of the lines that has one.</summary>
    private static string? Field(IEnumerable<string> lines, string name) => lines
        .Select(line => Regex.Match(line, $@"^\s+{Regex.Escape(name)}:\s+(\S.*)$"))
        .FirstOrDefault(match => match.Success)?.Groups[1].Value.Trim();

    /// <summary>Ctrl-C: SIGINT. Where this test run itself was started with SIGINT ignored (a background job), that
    /// disposition is inherited and SIGINT cannot reach the child, so SIGTERM stands in.</summary>
    private static void Interrupt(RunningProcess process) => process.Signal(SigIntIgnoredHere() ? "TERM" : "INT");

    private static bool SigIntIgnoredHere()
    {
        string? ignored = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:"))?.Split(':')[1].Trim();
        return ignored is not null && (Convert.ToUInt64(ignored, 16) & 0b10) != 0; // bit 1 = signal 2 (SIGINT)
    }

    private static async Task<bool> AcceptsAsync(Uri uri)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(uri.Host, uri.Port).WaitAsync(TimeSpan.FromSeconds(2));
            return true;
        }
        catch (Exception exception) when (exception is SocketException or TimeoutException)
        {
            return false;
        }
    }
}
