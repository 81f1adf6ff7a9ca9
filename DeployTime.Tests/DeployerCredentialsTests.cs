using Amazon.Runtime.CredentialManagement;
using ItemsApi.DeployTime.VersionRetention;

namespace ItemsApi.DeployTime.Tests;

/// <summary>
/// Whose credentials `pulumi up` prunes old function versions with: the profile the AWS provider is configured with
/// (<c>aws:profile</c>), else the SDK's default chain, as the provider itself does.
/// </summary>
[Collection(ProcessEnvironment.Name)] // the default chain reads AWS_ACCESS_KEY_ID
public sealed class DeployerCredentialsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("deployer-credentials-").FullName;
    private readonly CredentialProfileStoreChain _profiles;

    public DeployerCredentialsTests()
    {
        // A shared credentials file with one profile, in place of the user's own.
        string credentials = Path.Combine(_folder, "credentials");
        File.WriteAllText(credentials, "[deployer]\naws_access_key_id = AKIDFROMPROFILE\naws_secret_access_key = secret\n");
        _profiles = new CredentialProfileStoreChain(credentials);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static IDisposable KeysInTheEnvironment() => EnvironmentVariables.Set(
        ("AWS_PROFILE", null), ("AWS_ACCESS_KEY_ID", "AKIDFROMENVIRONMENT"), ("AWS_SECRET_ACCESS_KEY", "secret"), ("AWS_SESSION_TOKEN", null));

    [Fact]
    public void The_providers_profile_is_read_from_the_shared_credentials_file()
    {
        using IDisposable environment = KeysInTheEnvironment();
        Assert.Equal("AKIDFROMPROFILE", LambdaFunctionVersions.DeployerCredentials("deployer", _profiles).GetCredentials().AccessKey);
    }

    [Fact]
    public void A_profile_that_does_not_exist_is_an_error_naming_it_not_a_fallback_to_other_credentials()
    {
        using IDisposable environment = KeysInTheEnvironment();
        var error = Assert.Throws<InvalidOperationException>(() => LambdaFunctionVersions.DeployerCredentials("depolyer", _profiles));
        Assert.Equal("AWS profile 'depolyer' was not found in the shared config or credentials file", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_a_profile_the_default_chain_is_used(string? profile)
    {
        using IDisposable environment = KeysInTheEnvironment();
        Assert.Equal("AKIDFROMENVIRONMENT", LambdaFunctionVersions.DeployerCredentials(profile, _profiles).GetCredentials().AccessKey);
    }
}
