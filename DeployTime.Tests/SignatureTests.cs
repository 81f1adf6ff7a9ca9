using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Amazon.Runtime;
using ItemsApi.DeployTime.Aws;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.DeployTime.Tests;

/// <summary>
/// Known answers for the signature on the program's own AWS calls (<see cref="AwsApis"/>, AWSSDK.Core's SigV4SigningHandler).
/// A wrong signature is refused by AWS (403 SignatureDoesNotMatch), and only a signature computed independently shows it:
/// <see cref="Reference"/> is Signature Version 4 written from AWS's description ("Create a signed AWS API request", IAM User
/// Guide), checked against vectors of AWS's Signature Version 4 test suite, and the handler must sign each request of ours
/// exactly as it does. The Marker of a second page is where encoding goes wrong ('+', '/' and '=' in an opaque token), and
/// it is reached only by functions with more than 50 versions: exactly the ones that piled up.
/// </summary>
public sealed class SignatureTests
{
    // The AWS Signature Version 4 test suite's credentials, region, service and time (get-vanilla and its siblings).
    private const string SuiteAccessKey = "AKIDEXAMPLE";
    private const string SuiteSecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static readonly DateTime SuiteTime = new(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);

    [Theory]
    // get-vanilla
    [InlineData("/", "", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    // get-vanilla-query-order-key-case
    [InlineData("/", "Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")]
    public void The_reference_signer_reproduces_AWSs_published_test_vectors(string path, string query, string signature)
    {
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = "example.amazonaws.com", ["x-amz-date"] = "20150830T123600Z" };
        Assert.Equal(signature, Reference.Signature("GET", path, query, headers, Reference.EmptyPayloadHash, SuiteSecretKey, SuiteTime, "us-east-1", "service"));
    }

    [Fact]
    public async Task The_handler_signs_AWSs_get_vanilla_request_as_the_reference_does()
    {
        var capture = new Capture(_ => new HttpResponseMessage(HttpStatusCode.OK));
        var config = new ProviderConfig { Region = "us-east-1", Endpoints = new Dictionary<string, string> { ["service"] = "https://example.amazonaws.com" } };
        using HttpClient client = AwsApis.SignedClient(config, new BasicAWSCredentials(SuiteAccessKey, SuiteSecretKey), "service", capture, SuiteTime);

        (await client.GetAsync("")).Dispose();

        Signed request = Assert.Single(capture.Requests);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=", request.Authorization);
        Assert.Equal(request.ReferenceSignature(SuiteSecretKey, SuiteTime, "us-east-1", "service"), request.Signature);
    }

    [Fact]
    public async Task A_second_page_whose_marker_holds_plus_slash_and_equals_is_asked_for_with_that_marker_and_signed_as_the_reference_does()
    {
        const string marker = "a+b/c==";
        const string function = "arn:aws:lambda:eu-west-1:123456789012:function:items-api-dev-items";
        var capture = new Capture(request =>
        {
            // Lambda's ListVersionsByFunction: one version a page here, and the opaque NextMarker of the second page.
            string? asked = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query)["Marker"];
            var page = new JsonObject { ["Versions"] = new JsonArray(new JsonObject { ["Version"] = asked is null ? "1" : "2" }) };
            if (asked is null) page["NextMarker"] = marker;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(page.ToJsonString(), Encoding.UTF8, "application/json") };
        });
        var credentials = new SessionAWSCredentials("AKIDEXAMPLE", SuiteSecretKey, "session-token");
        AwsApis apis = AwsApis.For(new ProviderConfig { Region = "eu-west-1" }, credentials, capture, _ => Task.FromResult(Array.Empty<IPAddress>()), SuiteTime);

        Assert.Equal(["1", "2"], await apis.Versions.ListVersionsAsync(function, CancellationToken.None));

        Signed second = capture.Requests[1];
        Assert.Equal(marker, System.Web.HttpUtility.ParseQueryString(second.Uri.Query)["Marker"]); // what Lambda reads back
        foreach (Signed request in capture.Requests)
        {
            Assert.Contains("/eu-west-1/lambda/aws4_request", request.Authorization);
            Assert.Equal(request.ReferenceSignature(SuiteSecretKey, SuiteTime, "eu-west-1", "lambda"), request.Signature);
        }
    }

    [Fact]
    public async Task Sts_api_gateway_and_lambda_calls_are_signed_for_their_own_service_as_the_reference_does()
    {
        var capture = new Capture(request => request.RequestUri!.Host.StartsWith("sts.", StringComparison.Ordinal)
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(new XElement("GetCallerIdentityResponse", new XElement("GetCallerIdentityResult", new XElement("Account", "123456789012"))).ToString()) }
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"cloudwatchRoleArn":"arn:aws:iam::123456789012:role/x","AccountLimit":{"ConcurrentExecutions":10}}""") });
        AwsApis apis = AwsApis.For(new ProviderConfig { Region = "eu-west-1" }, new BasicAWSCredentials("AKIDEXAMPLE", SuiteSecretKey), capture,
            _ => Task.FromResult(Array.Empty<IPAddress>()), SuiteTime);

        Assert.Equal("123456789012", await apis.Account.CallerAccountIdAsync());
        Assert.Equal("arn:aws:iam::123456789012:role/x", await apis.Account.ApiGatewayCloudWatchRoleArnAsync());
        Assert.Equal(10, await apis.Account.LambdaConcurrencyLimitAsync());

        Assert.Equal(["sts", "apigateway", "lambda"], capture.Requests.Select(r => r.Uri.Host.Split('.')[0]));
        foreach (Signed request in capture.Requests)
            Assert.Equal(request.ReferenceSignature(SuiteSecretKey, SuiteTime, "eu-west-1", request.Uri.Host.Split('.')[0]), request.Signature);
    }

    [Fact]
    public void The_signer_comes_from_the_pinned_AWSSDK_Core_which_has_the_constructor_the_program_calls()
    {
        string props = File.ReadAllText(Path.Combine(ProjectFiles.FindRoot(), "Directory.Packages.props"));
        string pinned = XDocument.Parse(props).Descendants("PackageVersion").Single(p => (string?)p.Attribute("Include") == "AWSSDK.Core").Attribute("Version")!.Value;
        System.Reflection.Assembly core = typeof(Amazon.Runtime.Signing.SigV4SigningHandler).Assembly;
        string loaded = core.GetCustomAttributes(typeof(System.Reflection.AssemblyFileVersionAttribute), false).Cast<System.Reflection.AssemblyFileVersionAttribute>().Single().Version;
        Assert.Equal(pinned, loaded);
        Assert.NotNull(typeof(Amazon.Runtime.Signing.SigV4SigningHandler).GetConstructor([typeof(Amazon.Runtime.Signing.AWSSigV4Parameters), typeof(HttpMessageHandler)]));
    }

    /// <summary>A request as it left the handler: what the reference needs to sign it again.</summary>
    private sealed record Signed(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[] Body, string Authorization)
    {
        public string Signature => Authorization[(Authorization.IndexOf("Signature=", StringComparison.Ordinal) + "Signature=".Length)..];

        public string ReferenceSignature(string secretKey, DateTime time, string region, string service)
        {
            string signedHeaders = Authorization.Split("SignedHeaders=")[1].Split(',')[0];
            var headers = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (string name in signedHeaders.Split(';'))
                headers[name] = name == "host" ? Uri.Authority : Headers[name];
            return Reference.Signature(Method, Uri.AbsolutePath, Uri.Query.TrimStart('?'), headers, Convert.ToHexStringLower(SHA256.HashData(Body)), secretKey, time, region, service);
        }
    }

    private sealed class Capture(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<Signed> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
            byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            if (request.Content is not null)
                foreach (var header in request.Content.Headers) headers[header.Key.ToLowerInvariant()] = string.Join(",", header.Value);
            Requests.Add(new Signed(request.Method.Method, request.RequestUri!, headers, body, headers["authorization"]));
            return answer(request);
        }
    }

    /// <summary>Signature Version 4 as AWS describes it, for services other than S3 (whose paths are not encoded twice).</summary>
    private static class Reference
    {
        public static readonly string EmptyPayloadHash = Convert.ToHexStringLower(SHA256.HashData([]));

        public static string Signature(string method, string encodedPath, string query, SortedDictionary<string, string> headers, string payloadHash,
            string secretKey, DateTime time, string region, string service)
        {
            // Each path segment, as sent (already encoded once), URI-encoded again.
            string canonicalPath = string.Join('/', encodedPath.Split('/').Select(Encode));
            // Query: decode each name and value, encode them strictly, sort by name then value.
            string canonicalQuery = string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2))
                .Select(pair => (Name: Encode(Uri.UnescapeDataString(pair[0])), Value: Encode(Uri.UnescapeDataString(pair.Length > 1 ? pair[1] : ""))))
                .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
                .Select(p => $"{p.Name}={p.Value}"));
            string canonicalHeaders = string.Concat(headers.Select(h => $"{h.Key}:{string.Join(' ', h.Value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))}\n"));
            string canonicalRequest = $"{method}\n{canonicalPath}\n{canonicalQuery}\n{canonicalHeaders}\n{string.Join(';', headers.Keys)}\n{payloadHash}";

            string date = time.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
            string scope = $"{date}/{region}/{service}/aws4_request";
            string stringToSign = $"AWS4-HMAC-SHA256\n{time:yyyyMMdd'T'HHmmss'Z'}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
            byte[] key = Encoding.UTF8.GetBytes("AWS4" + secretKey);
            foreach (string part in new[] { date, region, service, "aws4_request" }) key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
            return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        }

        /// <summary>RFC 3986: everything but the unreserved characters A-Z a-z 0-9 - _ . ~ as %XY, upper-case hex.</summary>
        private static string Encode(string text) =>
            string.Concat(Encoding.UTF8.GetBytes(text).Select(b => char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~' ? ((char)b).ToString() : $"%{b:X2}"));
    }
}
