using ItemsApi.DeployTime.CommandLine;

namespace ItemsApi.DeployTime.Tests;

/// <summary>
/// The options the local run and verify both take: the values each accepts and the one line a refused value prints.
/// (Verify.Tests checks that both commands really use these definitions.)
/// </summary>
public sealed class SharedOptionTests
{
    [Theory]
    [InlineData(19, "--api-key must be 20 to 128 characters, as API Gateway requires, not 19.")]
    [InlineData(20, null)]
    [InlineData(128, null)]
    [InlineData(129, "--api-key must be 20 to 128 characters, as API Gateway requires, not 129.")]
    public void An_api_key_has_API_Gateways_length_limits(int length, string? error) =>
        Assert.Equal(error, SharedOption.ApiKey.Check!(new string('k', length)));

    [Theory]
    [InlineData("abc-_.~+/XYZ09", true)]
    [InlineData("abc==", true)]
    [InlineData("", false)]
    [InlineData("two words", false)]
    [InlineData("a=b", false)]
    [InlineData("tok\u00e9n", false)]
    public void A_token_is_accepted_only_if_the_stages_identity_validation_would_let_it_through(string token, bool valid) =>
        Assert.Equal(
            valid ? null : "--token must be a token API Gateway lets through: letters, digits and -._~+/ (then optional '=').",
            SharedOption.Token.Check!(token));

    [Fact]
    public void A_stack_name_is_not_checked_here_and_help_shows_each_options_name_and_value()
    {
        Assert.Null(SharedOption.Stack.Check);
        Assert.Equal(
            [("--stack", "name"), ("--api-key", "key"), ("--token", "token")],
            SharedOption.All.Select(o => (o.Name, o.ValueName)));
        Assert.All(SharedOption.All, o => Assert.False(string.IsNullOrWhiteSpace(o.Description)));
    }
}
