using System.Text.Json;

namespace ItemsApi.Verify.Tests;

/// <summary>The command line: options, stack outputs, output formats and exit codes (0 passed, 1 failed, 2 usage).</summary>
public sealed class VerifyCliTests
{
    [Fact]
    public async Task Against_the_local_run_with_url_and_key_it_prints_a_line_per_check_and_exits_0()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync();

        (int exit, string output, string error) = await RunAsync(stage, FakePulumi.EmptySearchPath(),
            "--url", stage.ItemsUrl.ToString(), "--api-key", LocalStage.ApiKey, "--origin", LocalStage.DevOrigin);

        Assert.Equal((0, ""), (exit, error));
        string[] lines = output.TrimEnd().Split('\n');
        Assert.Equal("PASS API key accepted", lines[0]);
        Assert.Equal("PASS create item", lines[1]);
        Assert.Contains("PASS stale If-Match → 412", lines);
        Assert.Contains("PASS CORS preflight", lines);
        // The requests go 200 ms apart on the fake clock.
        string seconds = ((stage.RequestsServed - 1) * 0.2).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(StageContractTests.DevRequests(), stage.RequestsServed);
        Assert.Equal($"PASSED: 16 passed, 0 failed, 0 skipped; {stage.RequestsServed} requests in {seconds} s to {stage.ItemsUrl} (authMode apiKey)", lines[^1]);
        Assert.Equal(17, lines.Length); // 16 checks and the summary
        Assert.DoesNotContain(LocalStage.ApiKey, output);
        Assert.Equal(0, await stage.ItemsStoredAsync());
    }

    [Fact]
    public async Task By_default_the_stage_comes_from_the_stack_outputs_of_the_given_stack()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync(new() { ["authMode"] = "apiKey+authorizer" });
        using var pulumi = new FakePulumi(new
        {
            url = stage.ItemsUrl.ToString(),
            apiKey = LocalStage.ApiKey,
            authMode = "apiKey+authorizer",
            corsAllowedOrigins = new[] { LocalStage.DevOrigin },
        });

        (int exit, string output, string error) = await RunAsync(stage, pulumi.SearchPath, "--stack", "dev", "--token", LocalStage.Token);

        Assert.True(exit == 0, output + error);
        Assert.Equal(["stack", "output", "--json", "--show-secrets", "--stack", "dev"], pulumi.Arguments);
        Assert.Contains("PASS no bearer token → 401", output.Split('\n'));
        Assert.Contains("PASS CORS preflight", output.Split('\n'));
        Assert.Contains("(authMode apiKey+authorizer)", output);
        Assert.DoesNotContain(LocalStage.ApiKey, output);
        Assert.DoesNotContain(LocalStage.Token, output);
    }

    [Fact]
    public async Task A_key_the_stage_refuses_exits_1_with_the_failure_and_no_key_in_the_output()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync();
        const string wrongKey = "wrong-key-given-on-the-command-line";

        (int exit, string output, _) = await RunAsync(stage, FakePulumi.EmptySearchPath(),
            "--url", stage.ItemsUrl.ToString(), "--api-key", wrongKey, "--key-wait", "2");

        Assert.Equal(1, exit);
        string[] lines = output.TrimEnd().Split('\n');
        Assert.Equal("FAIL API key accepted: the API key was refused (403) for 1 s (--key-wait 2 s): check the key, and that the usage plan includes this stage", lines[0]);
        Assert.Equal($"     request:  GET {stage.ItemsUrl}?limit=1", lines[1]);
        Assert.Equal("               x-api-key: ***", lines[2]);
        Assert.Contains("     response: 403", lines);
        Assert.Contains("SKIP create item: not run: the API key was not accepted", lines);
        Assert.StartsWith("FAILED: 1 passed, 1 failed, 14 skipped; 2 requests in", lines[^1]);
        Assert.DoesNotContain(wrongKey, output);
    }

    [Fact]
    public async Task Json_prints_the_report_only()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync();

        (int exit, string output, _) = await RunAsync(stage, FakePulumi.EmptySearchPath(),
            "--url", stage.ItemsUrl.ToString(), "--api-key", LocalStage.ApiKey, "--json");

        Assert.Equal(0, exit);
        JsonElement report = JsonDocument.Parse(output).RootElement;
        Assert.Equal(["url", "authMode", "passed", "requestsSent", "durationSeconds", "checks"], report.EnumerateObject().Select(p => p.Name));
        Assert.Equal(stage.ItemsUrl.ToString(), report.GetProperty("url").GetString());
        Assert.True(report.GetProperty("passed").GetBoolean());
        Assert.Equal(stage.RequestsServed, report.GetProperty("requestsSent").GetInt32());
        // Without --origin nor a corsAllowedOrigins output the preflight is skipped: one request fewer, each 200 ms apart on the fake clock.
        Assert.Equal(StageContractTests.DevRequests(cors: false), stage.RequestsServed);
        Assert.Equal((stage.RequestsServed - 1) * 0.2, report.GetProperty("durationSeconds").GetDouble(), precision: 6);
        JsonElement create = report.GetProperty("checks")[1];
        Assert.Equal(["name", "passed", "status", "detail"], create.EnumerateObject().Select(p => p.Name));
        Assert.Equal("create item", create.GetProperty("name").GetString());
        Assert.True(create.GetProperty("passed").GetBoolean());
        Assert.Equal("pass", create.GetProperty("status").GetString());
        Assert.StartsWith("201, id ", create.GetProperty("detail").GetString());
        JsonElement cors = report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "CORS preflight");
        // Skipped is neither: a CI filter on passed == false must not count it as a failure, as the run's own passed does not.
        Assert.Equal(("skip", JsonValueKind.Null), (cors.GetProperty("status").GetString(), cors.GetProperty("passed").ValueKind));
    }

    [Fact]
    public async Task Json_reports_a_failure_with_its_request_and_response_and_exits_1()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync();

        (int exit, string output, _) = await RunAsync(stage, FakePulumi.EmptySearchPath(),
            "--url", stage.ItemsUrl.ToString(), "--api-key", "not-the-key-but-long-enough", "--key-wait", "0", "--json");

        Assert.Equal(1, exit);
        JsonElement report = JsonDocument.Parse(output).RootElement;
        Assert.False(report.GetProperty("passed").GetBoolean());
        JsonElement key = report.GetProperty("checks")[0];
        Assert.Equal(("API key accepted", false, "fail"), (key.GetProperty("name").GetString(), key.GetProperty("passed").GetBoolean(), key.GetProperty("status").GetString()));
        Assert.Contains("x-api-key: ***", key.GetProperty("detail").GetString());
        Assert.Contains("response: 403", key.GetProperty("detail").GetString());
        Assert.DoesNotContain("not-the-key-but-long-enough", output);
    }

    [Theory]
    [InlineData("Unrecognized command or argument '--bogus'. (--help lists the options)", "--bogus")]
    [InlineData("Required argument missing for option: '--url'. (--help lists the options)", "--url")]
    [InlineData("--key-wait must be a whole number of seconds from 0 to 3600, not 'soon'. (--help lists the options)", "--key-wait", "soon")]
    [InlineData("--key-wait must be a whole number of seconds from 0 to 3600, not '3601'. (--help lists the options)", "--key-wait", "3601")]
    [InlineData("--api-key must be 20 to 128 characters, as API Gateway requires, not 9. (--help lists the options)", "--api-key", "too-short")]
    [InlineData("--token must be a token API Gateway lets through: letters, digits and -._~+/ (then optional '='). (--help lists the options)", "--token", "two words")]
    [InlineData("Unrecognized command or argument 'extra'. (--help lists the options)", "--json", "extra")]
    [InlineData("pulumi was not found on PATH, so the stack's url and apiKey cannot be read: pass --url and --api-key (and --token in apiKey+authorizer mode) instead.", "--url", "http://127.0.0.1:9/dev/items")]
    [InlineData("The URL must be an absolute http(s) URL, not 'ftp://x/items'.", "--url", "ftp://x/items", "--api-key", "0123456789abcdefghij")]
    public async Task Usage_and_config_errors_exit_2_before_any_request(string message, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        int exit = await VerifyCli.RunAsync(args, output, error, new VerifyEnvironment { SearchPath = FakePulumi.EmptySearchPath() });

        Assert.Equal(2, exit);
        Assert.Equal(message + Environment.NewLine, error.ToString()); // one line
        Assert.Equal("", output.ToString());
    }

    [Theory]
    [InlineData("iam", "authMode iam: the stage requires SigV4-signed requests, which verify does not sign.")]
    [InlineData("apiKey+authorizer", "authMode apiKey+authorizer: pass --token <bearer token>")]
    [InlineData("cognito", "The stack output authMode is 'cognito'; verify knows apiKey, apiKey+authorizer, iam.")]
    public async Task Auth_modes_verify_cannot_check_exit_2(string authMode, string message)
    {
        using var pulumi = new FakePulumi(new { url = "http://127.0.0.1:9/dev/items", apiKey = "0123456789abcdefghij", authMode });
        var output = new StringWriter();
        var error = new StringWriter();

        int exit = await VerifyCli.RunAsync([], output, error, new VerifyEnvironment { SearchPath = pulumi.SearchPath });

        Assert.Equal(2, exit);
        Assert.StartsWith(message, error.ToString());
    }

    [Fact]
    public async Task The_built_program_exits_2_with_one_line_on_a_usage_error()
    {
        (int exit, string output, string error) = await RunBuiltAsync("--no-such-option");

        Assert.Equal((2, ""), (exit, output));
        Assert.Equal("Unrecognized command or argument '--no-such-option'. (--help lists the options)" + Environment.NewLine, error);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_lists_every_option_with_its_default_and_exits_0(string help)
    {
        (int exit, string output, string error) = await RunBuiltAsync(help);

        Assert.Equal((0, ""), (exit, error));
        Assert.Contains("Usage:\n  dotnet run --project Verify -- [options]", output.ReplaceLineEndings("\n"));
        string[] options = ["--stack <name>", "--url <url>", "--api-key <key>", "--token <token>", "--origin <origin>", "--key-wait <seconds>", "--json"];
        Assert.Equal(options.Length, new VerifyCommand().Root.Options.Count - 1); // every option but --help is listed here
        CommandHelp.AssertEachOptionHasADefault(output, options);
        Assert.Contains("[default: 30]", output);
    }

    private static async Task<(int Exit, string Output, string Error)> RunBuiltAsync(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "ItemsApi.Verify.dll");
        (int exit, string output, string error) = await ProcessRun.RunAsync("dotnet", [dll, .. args]);
        return (exit, output, error);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(LocalStage stage, string searchPath, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = await VerifyCli.RunAsync(args, output, error, new VerifyEnvironment { SearchPath = searchPath, Options = stage.Options() });
        return (exit, output.ToString(), error.ToString());
    }
}
