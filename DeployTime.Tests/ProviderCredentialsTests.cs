using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using ItemsApi.DeployTime.Aws;

namespace ItemsApi.DeployTime.Tests;

/// <summary>
/// Whose credentials the program's own AWS calls use: the AWS provider's, rebuilt from its aws:* config in the
/// provider's order (Terraform AWS provider, "Authentication and Configuration": provider arguments, then the profile
/// from the shared files, then the environment's default chain; each aws:assumeRoles entry assumed in turn). Role and
/// SSO profiles go through STS and IAM Identity Center, which AWSSDK.Core reaches through AWSSDK.SecurityToken and
/// AWSSDK.SSO/SSOOIDC, loaded by name: these tests sign in through local stand-ins for both.
/// </summary>
[Collection(ProcessEnvironment.Name)] // the default chain reads AWS_ACCESS_KEY_ID; STS and SSO endpoints come from AWS_ENDPOINT_URL_*
public sealed class ProviderCredentialsTests(ProviderCredentialsTests.SharedFiles files) : IClassFixture<ProviderCredentialsTests.SharedFiles>
{
    /// <summary>A shared credentials file in place of the user's own: a key profile, a role profile that starts from it, and an SSO profile.</summary>
    public sealed class SharedFiles : IDisposable
    {
        public SharedFiles()
        {
            Credentials = Path.Combine(Folder, "credentials");
            // All three in the credentials file the provider names (aws:sharedCredentialsFiles): AWSSDK.Core resolves the
            // config file's path (AWS_CONFIG_FILE) once per process, so a test cannot point it at its own file.
            File.WriteAllText(Credentials, """
                [deployer]
                aws_access_key_id = AKIDFROMPROFILE
                aws_secret_access_key = secret

                [role-deployer]
                role_arn = arn:aws:iam::123456789012:role/items-api-dev-deploy
                source_profile = deployer

                [sso-deployer]
                sso_account_id = 123456789012
                sso_role_name = items-api-dev-deploy
                sso_region = eu-west-1
                sso_start_url = https://example.awsapps.com/start
                """);
        }

        public string Folder { get; } = Directory.CreateTempSubdirectory("provider-credentials-").FullName;
        public string Credentials { get; }

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }

    private readonly string _folder = files.Folder;
    private readonly string _credentials = files.Credentials;

    private IDisposable Environment(params (string Name, string? Value)[] more) => EnvironmentVariables.Set(
        [("AWS_PROFILE", null), ("AWS_ACCESS_KEY_ID", "AKIDFROMENVIRONMENT"), ("AWS_SECRET_ACCESS_KEY", "secret"), ("AWS_SESSION_TOKEN", null),
         ("AWS_SHARED_CREDENTIALS_FILE", _credentials), .. more]);

    private static ProviderConfig Config(params (string Key, string Value)[] keys) =>
        ProviderConfig.Read(key => keys.FirstOrDefault(k => k.Key == key).Value, _ => null) with { Region = "eu-west-1" };

    private ImmutableCredentials Resolve(ProviderConfig config) =>
        ProviderCredentials.For(config, new CredentialProfileStoreChain(_credentials)).GetCredentials();

    [Fact]
    public void The_providers_profile_wins_over_keys_in_the_environment()
    {
        using IDisposable environment = Environment();
        Assert.Equal("AKIDFROMPROFILE", Resolve(Config(("profile", "deployer"))).AccessKey);
    }

    [Fact]
    public void Keys_in_the_providers_config_win_over_everything_else()
    {
        using IDisposable environment = Environment();
        ImmutableCredentials credentials = Resolve(Config(("profile", "deployer"), ("accessKey", "AKIDFROMCONFIG"), ("secretKey", "s"), ("token", "t")));
        Assert.Equal(("AKIDFROMCONFIG", "t"), (credentials.AccessKey, credentials.Token));
    }

    [Fact]
    public void A_profile_that_does_not_exist_is_an_error_naming_it_not_a_fallback_to_other_credentials()
    {
        using IDisposable environment = Environment();
        var error = Assert.Throws<ProviderIdentityException>(() => Resolve(Config(("profile", "depolyer"))));
        Assert.Equal("AWS profile 'depolyer' was not found in the shared config or credentials file", error.Message);
    }

    [Fact]
    public void Without_a_profile_or_keys_the_default_chain_is_used()
    {
        using IDisposable environment = Environment();
        Assert.Equal("AKIDFROMENVIRONMENT", ProviderCredentials.For(Config()).GetCredentials().AccessKey);
    }

    [Fact]
    public void The_providers_assume_roles_are_a_chain_each_role_assumed_with_the_credentials_before_it()
    {
        using IDisposable environment = Environment();
        ProviderConfig config = Config(("profile", "deployer"), ("assumeRoles", """
            [{"roleArn":"arn:aws:iam::111111111111:role/hop","sessionName":"first","duration":"1h"},
             {"roleArn":"arn:aws:iam::123456789012:role/items-api-dev-deploy","externalId":"x-1"}]
            """));

        var last = Assert.IsType<AssumeRoleAWSCredentials>(ProviderCredentials.For(config, new CredentialProfileStoreChain(_credentials)));
        Assert.Equal(("arn:aws:iam::123456789012:role/items-api-dev-deploy", ProviderCredentials.DefaultSessionName, "x-1"), (last.RoleArn, last.RoleSessionName, last.Options.ExternalId));
        var first = Assert.IsType<AssumeRoleAWSCredentials>(last.SourceCredentials);
        Assert.Equal(("arn:aws:iam::111111111111:role/hop", "first", 3600), (first.RoleArn, first.RoleSessionName, first.Options.DurationSeconds));
        Assert.Equal("AKIDFROMPROFILE", first.SourceCredentials.GetCredentials().AccessKey);
    }

    [Fact]
    public void A_role_profile_signs_in_through_sts()
    {
        using var sts = new StandIn(request => request.Body.Contains("Action=AssumeRole", StringComparison.Ordinal)
            ? StandIn.Xml("""
                <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
                  <Credentials><AccessKeyId>ASIAFROMROLE</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>role-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
                  <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/items-api-dev-deploy/s</Arn><AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId></AssumedRoleUser>
                </AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>
                """)
            : StandIn.Xml("<Error/>", HttpStatusCode.BadRequest));
        using IDisposable environment = Environment(("AWS_ENDPOINT_URL_STS", sts.Url), ("AWS_REGION", "eu-west-1"));

        ImmutableCredentials credentials = ProviderCredentials.For(Config(("profile", "role-deployer"), ("sharedCredentialsFiles", $"[\"{_credentials}\"]"))).GetCredentials();

        Assert.Equal(("ASIAFROMROLE", "role-token"), (credentials.AccessKey, credentials.Token));
        Assert.Contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fitems-api-dev-deploy", Assert.Single(sts.Requests).Body);
    }

    [Fact]
    public void An_sso_profile_signs_in_through_iam_identity_center_with_the_cached_token()
    {
        // `aws sso login` leaves the access token in ~/.aws/sso/cache/<sha1 of the start URL>.json.
        string home = Path.Combine(_folder, "home");
        string cache = Directory.CreateDirectory(Path.Combine(home, ".aws", "sso", "cache")).FullName;
        string file = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes("https://example.awsapps.com/start")));
        File.WriteAllText(Path.Combine(cache, file + ".json"),
            """{"startUrl":"https://example.awsapps.com/start","region":"eu-west-1","accessToken":"sso-access-token","expiresAt":"2099-01-01T00:00:00Z"}""");
        using var sso = new StandIn(request => request.Headers.TryGetValue("x-amz-sso_bearer_token", out string? token) && token == "sso-access-token"
            ? StandIn.Json("""{"roleCredentials":{"accessKeyId":"ASIAFROMSSO","secretAccessKey":"s","sessionToken":"sso-token","expiration":4070908800000}}""")
            : StandIn.Json("""{"message":"no token"}""", HttpStatusCode.Unauthorized));
        using IDisposable environment = Environment(("AWS_ENDPOINT_URL_SSO", sso.Url), ("HOME", home), ("AWS_REGION", "eu-west-1"));

        ImmutableCredentials credentials = ProviderCredentials.For(Config(("profile", "sso-deployer"), ("sharedCredentialsFiles", $"[\"{_credentials}\"]"))).GetCredentials();

        Assert.Equal(("ASIAFROMSSO", "sso-token"), (credentials.AccessKey, credentials.Token));
        Assert.Contains("role_name=items-api-dev-deploy", Assert.Single(sso.Requests).PathAndQuery);
    }

    [Theory]
    [InlineData("assumeRoleWithWebIdentity", """[{"roleArn":"arn:aws:iam::123456789012:role/r"}]""")]
    [InlineData("sharedConfigFiles", """["/etc/aws/config"]""")]
    [InlineData("stsRegion", "us-east-1")]
    public void A_provider_setting_the_program_cannot_reproduce_is_refused_rather_than_signing_as_someone_else(string key, string value)
    {
        using IDisposable environment = Environment();
        var error = Assert.Throws<ProviderIdentityException>(() => ProviderCredentials.For(Config((key, value))));
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void Custom_endpoints_and_the_region_come_from_the_providers_config()
    {
        ProviderConfig config = ProviderConfig.Read(key => key switch
        {
            "region" => "eu-central-1",
            "endpoints" => """[{"lambda":"http://localhost:4566"}]""",
            _ => null,
        }, _ => null);
        Assert.Equal(new Uri("http://localhost:4566/"), config.EndpointFor("lambda", "amazonaws.com"));
        Assert.Equal(new Uri("https://apigateway.eu-central-1.amazonaws.com/"), config.EndpointFor("apigateway", "amazonaws.com"));
    }

    [Theory]
    [InlineData("1h", 3600)]
    [InlineData("15m", 900)]
    [InlineData("1h30m", 5400)]
    [InlineData("3600s", 3600)]
    public void Role_durations_use_the_providers_syntax(string duration, int seconds) =>
        Assert.Equal(seconds, ProviderConfig.DurationSeconds(duration));

    /// <summary>A local HTTP server standing in for an AWS endpoint: answers each request with <paramref name="answer"/>.</summary>
    private sealed class StandIn : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;

        public sealed record Request(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body);

        public StandIn(Func<Request, (HttpStatusCode Status, string ContentType, string Body)> answer)
        {
            int port = FreePort();
            Url = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _serving = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try { context = await _listener.GetContextAsync(); }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                    using var reader = new StreamReader(context.Request.InputStream);
                    var request = new Request(context.Request.HttpMethod, context.Request.Url!.PathAndQuery,
                        context.Request.Headers.AllKeys.ToDictionary(k => k!.ToLowerInvariant(), k => context.Request.Headers[k]!), await reader.ReadToEndAsync());
                    Requests.Add(request);
                    (HttpStatusCode status, string contentType, string body) = answer(request);
                    context.Response.StatusCode = (int)status;
                    context.Response.ContentType = contentType;
                    byte[] bytes = Encoding.UTF8.GetBytes(body);
                    await context.Response.OutputStream.WriteAsync(bytes);
                    context.Response.Close();
                }
            });
        }

        public string Url { get; }
        public System.Collections.Concurrent.ConcurrentBag<Request> Requests { get; } = [];

        public static (HttpStatusCode, string, string) Xml(string body, HttpStatusCode status = HttpStatusCode.OK) => (status, "text/xml", body);
        public static (HttpStatusCode, string, string) Json(string body, HttpStatusCode status = HttpStatusCode.OK) => (status, "application/json", body);

        private static int FreePort()
        {
            using var socket = new TcpListener(IPAddress.Loopback, 0);
            socket.Start();
            return ((IPEndPoint)socket.LocalEndpoint).Port;
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
