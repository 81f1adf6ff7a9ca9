namespace ItemsApi.Verify.Tests;

/// <summary>Reading the stage from `pulumi stack output --json --show-secrets`, with a fake pulumi on PATH.</summary>
public sealed class StackOutputsTests
{
    [Fact]
    public async Task Reads_url_key_auth_mode_and_origins_and_passes_the_stack_through()
    {
        using var pulumi = new FakePulumi(new
        {
            url = "https://abc123.execute-api.eu-west-1.amazonaws.com/dev/items",
            apiKey = "key-from-the-stack-0123456789",
            authMode = "apiKey+authorizer",
            corsAllowedOrigins = new[] { "https://app.example", "http://localhost:5173" },
            apiId = "abc123",
        });

        StackOutputs outputs = await StackOutputs.ReadAsync("prod", pulumi.SearchPath);

        Assert.Equal("https://abc123.execute-api.eu-west-1.amazonaws.com/dev/items", outputs.Url);
        Assert.Equal("key-from-the-stack-0123456789", outputs.ApiKey);
        Assert.Equal("apiKey+authorizer", outputs.AuthMode);
        Assert.Equal(["https://app.example", "http://localhost:5173"], outputs.CorsAllowedOrigins);
        Assert.Equal(["stack", "output", "--json", "--show-secrets", "--stack", "prod"], pulumi.Arguments);
    }

    [Fact]
    public async Task Without_a_stack_the_selected_one_is_read_and_missing_optional_outputs_are_null()
    {
        using var pulumi = new FakePulumi(new { url = "https://x.example/dev/items", apiKey = "k" });

        StackOutputs outputs = await StackOutputs.ReadAsync(null, pulumi.SearchPath);

        Assert.Equal(new StackOutputs("https://x.example/dev/items", "k", null, null), outputs);
        Assert.Equal(["stack", "output", "--json", "--show-secrets"], pulumi.Arguments);
    }

    [Fact]
    public async Task A_missing_pulumi_says_to_pass_url_and_api_key()
    {
        var error = await Assert.ThrowsAsync<VerifyConfigException>(() => StackOutputs.ReadAsync(null, FakePulumi.EmptySearchPath()));

        Assert.Equal("pulumi was not found on PATH, so the stack's url and apiKey cannot be read: " +
            "pass --url and --api-key (and --token in apiKey+authorizer mode) instead.", error.Message);
    }

    [Fact]
    public async Task A_failing_pulumi_shows_its_error_but_never_its_output()
    {
        using var pulumi = new FakePulumi(new { apiKey = "secret-key-printed-before-failing" }, exitCode: 255, stderr: "error: no stack named 'qa' found");

        var error = await Assert.ThrowsAsync<VerifyConfigException>(() => StackOutputs.ReadAsync("qa", pulumi.SearchPath));

        Assert.StartsWith("pulumi stack output failed (exit 255): error: no stack named 'qa' found\n", error.Message);
        Assert.Contains("--url and --api-key", error.Message);
        Assert.DoesNotContain("secret-key-printed-before-failing", error.Message);
    }

    [Theory]
    [InlineData("""{"corsAllowedOrigins":"[\"https://a.example\"]"}""", "https://a.example")]
    [InlineData("""{"corsAllowedOrigins":[]}""", null)]
    public void Origins_are_a_json_array_or_a_string_holding_one(string json, string? origin)
    {
        StackOutputs outputs = StackOutputs.Parse(json);

        Assert.Equal(origin is null ? [] : [origin], outputs.CorsAllowedOrigins);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"corsAllowedOrigins":[1]}""")]
    [InlineData("""{"corsAllowedOrigins":"https://a.example"}""")]
    public void Output_of_another_shape_is_a_config_error(string json) =>
        Assert.Throws<VerifyConfigException>(() => StackOutputs.Parse(json));
}
