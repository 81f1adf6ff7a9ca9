using System.CommandLine;
using ItemsApi.DeployTime.CommandLine;
using ItemsApi.LocalGateway;

namespace ItemsApi.Verify.Tests;

/// <summary>The local run and verify: an option name both take means the same thing, and takes the same values.</summary>
public sealed class SharedOptionTests
{
    private static readonly RootCommand LocalRun = new LocalRunCommand().Root;
    private static readonly RootCommand Verify = new VerifyCommand().Root;

    [Fact]
    public void Every_option_both_commands_take_is_a_shared_option_with_one_description()
    {
        string[] both = Names(LocalRun).Intersect(Names(Verify)).Order().ToArray();

        Assert.Equal(SharedOption.All.Select(o => o.Name).Order(), both);
        foreach (SharedOption shared in SharedOption.All)
        {
            Option local = LocalRun.Options.Single(o => o.Name == shared.Name);
            Option verify = Verify.Options.Single(o => o.Name == shared.Name);
            Assert.StartsWith(shared.Description + "; ", local.Description);
            Assert.StartsWith(shared.Description + "; ", verify.Description);
            Assert.Equal((shared.ValueName, shared.ValueName), (local.HelpName, verify.HelpName));
        }
    }

    [Theory]
    [InlineData("--api-key", "short-key", false)]
    [InlineData("--api-key", "exactly-20-chars-key", true)]
    [InlineData("--token", "two words", false)]
    [InlineData("--token", "abc-_.~+/xyz==", true)]
    [InlineData("--stack", "prod", true)]
    public void A_shared_option_accepts_and_refuses_the_same_values_in_both(string name, string value, bool valid)
    {
        Assert.Equal(valid, Accepts(LocalRun, name, value));
        Assert.Equal(valid, Accepts(Verify, name, value));
    }

    private static bool Accepts(RootCommand command, string name, string value) =>
        !command.Parse([name, value]).GetResult(command.Options.Single(o => o.Name == name))!.Errors.Any();

    private static IEnumerable<string> Names(Command command) => command.Options.Select(o => o.Name).Where(n => n != "--help");
}
