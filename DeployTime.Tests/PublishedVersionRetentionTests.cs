using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using ItemsApi.DeployTime.Aws;
using ItemsApi.DeployTime.VersionRetention;

namespace ItemsApi.DeployTime.Tests;

/// <summary>
/// Which published versions `pulumi up` deletes, and the Lambda API calls it makes to do so. Lambda keeps every
/// published version until it is deleted (Lambda Developer Guide, "Manage Lambda function versions"); for .NET,
/// SnapStart bills snapshot caching per version while it exists ("Lambda SnapStart pricing"); and all versions' code
/// counts against the 75 GB code storage quota ("Lambda quotas"). An alias's version cannot be deleted safely:
/// API Gateway invokes the alias.
/// </summary>
public sealed class PublishedVersionRetentionTests
{
    [Fact]
    public void Keeps_the_newest_versions_by_number_and_deletes_the_rest_oldest_first()
    {
        string[] published = ["$LATEST", "1", "2", "9", "10", "11"];

        Assert.Equal(["1", "2", "9"], PublishedVersionRetention.VersionsToDelete(published, ["11"], keep: 2));
        Assert.Equal(["1", "2", "9", "10"], PublishedVersionRetention.VersionsToDelete(published, ["11"], keep: 1));
        Assert.Empty(PublishedVersionRetention.VersionsToDelete(published, ["11"], keep: 5));
    }

    [Fact]
    public void Never_deletes_a_version_an_alias_uses_however_old()
    {
        // An alias moved back to version 3 by hand, and another routing 10% to version 5.
        string[] published = ["$LATEST", "1", "2", "3", "4", "5", "6", "7"];

        Assert.Equal(["1", "2", "4"], PublishedVersionRetention.VersionsToDelete(published, ["3", "5", "7"], keep: 2));
    }

    [Fact]
    public void Never_deletes_LATEST_which_is_not_a_published_version()
    {
        Assert.Empty(PublishedVersionRetention.VersionsToDelete(["$LATEST"], [], keep: 1));
        Assert.DoesNotContain("$LATEST", PublishedVersionRetention.VersionsToDelete(["$LATEST", "1", "2"], ["2"], keep: 1));
    }

    [Fact]
    public void A_negative_number_to_keep_is_refused_and_zero_keeps_only_what_an_alias_uses()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PublishedVersionRetention.VersionsToDelete(["1"], [], keep: -1));
        Assert.Equal(["1", "3"], PublishedVersionRetention.VersionsToDelete(["$LATEST", "1", "2", "3"], ["2"], keep: 0));
    }

    [Fact]
    public async Task Prune_reads_every_page_protects_alias_and_routing_versions_and_deletes_the_rest()
    {
        var lambda = new FakeLambdaApi("items-api-dev-items", versions: 12, pageSize: 5);
        lambda.Aliases.Add(new JsonObject { ["Name"] = "live", ["FunctionVersion"] = "12" });
        // Mid-move, or a canary: the alias also routes a weight to version 4 (AliasRoutingConfiguration).
        lambda.Aliases.Add(new JsonObject
        {
            ["Name"] = "canary", ["FunctionVersion"] = "11",
            ["RoutingConfig"] = new JsonObject { ["AdditionalVersionWeights"] = new JsonObject { ["4"] = 0.1 } },
        });
        // Rolled back by hand to an old version; Lambda may also send an alias without a routing configuration as null.
        lambda.Aliases.Add(new JsonObject { ["Name"] = "rollback", ["FunctionVersion"] = "2", ["RoutingConfig"] = null });
        IFunctionVersions api = lambda.Client("eu-west-1");

        IReadOnlyList<string> deleted = await PublishedVersionRetention.PruneAsync(api, "items-api-dev-items", liveVersion: "12", keep: 2);

        Assert.Equal(["1", "3", "5", "6", "7", "8", "9", "10"], deleted);
        Assert.Equal(["$LATEST", "2", "4", "11", "12"], lambda.Versions);
        Assert.Equal(3, lambda.Requests.Count(r => r.Path.EndsWith("/versions", StringComparison.Ordinal))); // 13 entries, pages of 5
    }

    [Fact]
    public async Task Each_call_is_Lambdas_documented_REST_call_signed_with_SigV4_for_lambda_in_the_region()
    {
        var lambda = new FakeLambdaApi("items-api-dev-items", versions: 3, pageSize: 50);
        lambda.Aliases.Add(new JsonObject { ["Name"] = "live", ["FunctionVersion"] = "3" });

        await PublishedVersionRetention.PruneAsync(lambda.Client("eu-west-1"), "items-api-dev-items", liveVersion: "3", keep: 2);

        Assert.Equal(
        [
            "GET https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/items-api-dev-items/versions?MaxItems=50",
            "GET https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/items-api-dev-items/aliases?MaxItems=50",
            "DELETE https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/items-api-dev-items?Qualifier=1",
        ], lambda.Requests.Select(r => $"{r.Method} {r.Uri}"));
        Assert.All(lambda.Requests, r => Assert.Matches(
            @"^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\d{8}/eu-west-1/lambda/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$",
            r.Authorization));
        Assert.All(lambda.Requests, r => Assert.Equal("session-token", r.SecurityToken));
    }

    [Fact]
    public async Task The_endpoint_follows_the_regions_partition()
    {
        var lambda = new FakeLambdaApi("f", versions: 1, pageSize: 50);
        await lambda.Client("cn-north-1").ListVersionsAsync("f", CancellationToken.None);
        Assert.Equal("lambda.cn-north-1.amazonaws.com.cn", Assert.Single(lambda.Requests).Uri.Host);
    }

    [Fact]
    public async Task A_refused_call_says_which_call_and_what_Lambda_answered()
    {
        var lambda = new FakeLambdaApi("items-api-dev-items", versions: 3, pageSize: 50) { RefuseDeletes = true };
        lambda.Aliases.Add(new JsonObject { ["Name"] = "live", ["FunctionVersion"] = "3" });

        var error = await Assert.ThrowsAsync<LambdaApiException>(() =>
            PublishedVersionRetention.PruneAsync(lambda.Client("us-east-1"), "items-api-dev-items", "3", keep: 1));

        Assert.Equal(403, error.Status);
        Assert.Equal("AccessDeniedException", error.ErrorType);
        Assert.Equal("DeleteFunction items-api-dev-items:1 failed: 403 AccessDeniedException: User is not authorized to perform: lambda:DeleteFunction", error.Message);
    }

    [Fact]
    public async Task A_refused_list_says_which_list_and_what_Lambda_answered()
    {
        var lambda = new FakeLambdaApi("items-api-dev-items", versions: 3, pageSize: 50);
        var error = await Assert.ThrowsAsync<LambdaApiException>(() => lambda.Client("us-east-1").ListVersionsAsync("items-api-prod-items", CancellationToken.None));
        Assert.Equal("GET functions/items-api-prod-items/versions failed: 404 ResourceNotFoundException: Function not found: items-api-prod-items", error.Message);
    }

    // Lambda names the error in the x-amzn-ErrorType header; without it, the body's __type, and a proxy's answer may not be JSON at all.
    [Theory]
    [InlineData("""{"__type":"InvalidParameterValueException","Message":"Invalid marker"}""", "400 InvalidParameterValueException: Invalid marker")]
    [InlineData("""{"__type":"InvalidParameterValueException","message":"Invalid marker"}""", "400 InvalidParameterValueException: Invalid marker")]
    [InlineData("""<html>Bad Gateway</html>""", "400 UnknownError: <html>Bad Gateway</html>")]
    [InlineData("""{"message":"Rate exceeded"}""", "400 UnknownError: Rate exceeded")]
    public async Task An_error_without_Lambdas_error_type_header_is_still_reported_readably(string body, string expected)
    {
        var handler = new CannedResponse(new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent(body) });
        IFunctionVersions api = Versions("us-east-1", new BasicAWSCredentials("AKIDEXAMPLE", "secret"), handler);
        var error = await Assert.ThrowsAsync<LambdaApiException>(() => api.AliasedVersionsAsync("f", CancellationToken.None));
        Assert.Equal($"GET functions/f/aliases failed: {expected}", error.Message);
    }

    /// <summary>The program's Lambda client for <paramref name="region"/>, as AwsApis builds it, sending through <paramref name="transport"/>.</summary>
    private static IFunctionVersions Versions(string region, AWSCredentials credentials, HttpMessageHandler transport) =>
        AwsApis.For(new ProviderConfig { Region = region }, credentials, transport, _ => Task.FromResult(Array.Empty<IPAddress>())).Versions;

    private sealed class CannedResponse(HttpResponseMessage response) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(response);
    }

    /// <summary>
    /// Lambda's versions API as the Lambda API Reference describes ListVersionsByFunction (Versions, NextMarker),
    /// ListAliases (Aliases with FunctionVersion and RoutingConfig) and DeleteFunction (Qualifier; 204). It refuses a
    /// delete of a version an alias uses with 409 ResourceConflictException, as Lambda does.
    /// </summary>
    private sealed class FakeLambdaApi(string functionName, int versions, int pageSize) : HttpMessageHandler
    {
        public List<string> Versions { get; } = ["$LATEST", .. Enumerable.Range(1, versions).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        public List<JsonObject> Aliases { get; } = [];
        public List<(string Method, Uri Uri, string Path, string Authorization, string? SecurityToken)> Requests { get; } = [];
        public bool RefuseDeletes { get; init; }

        public IFunctionVersions Client(string region) => Versions(region, new SessionAWSCredentials("AKIDEXAMPLE", "secret", "session-token"), this);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Uri uri = request.RequestUri!;
            Requests.Add((request.Method.Method, uri, uri.AbsolutePath, request.Headers.TryGetValues("Authorization", out var authorization) ? authorization.Single() : "",
                request.Headers.TryGetValues("X-Amz-Security-Token", out var token) ? token.Single() : null));
            var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
            string functionPath = $"/2015-03-31/functions/{functionName}";

            if (request.Method == HttpMethod.Get && uri.AbsolutePath == functionPath + "/versions")
                return Page("Versions", Versions.Select(v => (JsonNode)new JsonObject { ["FunctionName"] = functionName, ["Version"] = v }).ToList(), query["Marker"]);
            if (request.Method == HttpMethod.Get && uri.AbsolutePath == functionPath + "/aliases")
                return Page("Aliases", Aliases.Select(a => a.DeepClone()).ToList(), query["Marker"]);
            if (request.Method == HttpMethod.Delete && uri.AbsolutePath == functionPath && query["Qualifier"] is { } version)
            {
                if (RefuseDeletes)
                    return Error(HttpStatusCode.Forbidden, "AccessDeniedException", "User is not authorized to perform: lambda:DeleteFunction");
                if (Aliases.Any(a => (string?)a["FunctionVersion"] == version))
                    return Error(HttpStatusCode.Conflict, "ResourceConflictException", "version is referenced by an alias");
                Versions.Remove(version);
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));
            }
            if (!uri.AbsolutePath.StartsWith(functionPath, StringComparison.Ordinal))
                return Error(HttpStatusCode.NotFound, "ResourceNotFoundException", $"Function not found: {uri.AbsolutePath.Split('/')[3]}");
            return Error(HttpStatusCode.NotFound, "ResourceNotFoundException", $"no route for {request.Method} {uri.AbsolutePath}");
        }

        private Task<HttpResponseMessage> Page(string listName, List<JsonNode> items, string? marker)
        {
            int start = marker is null ? 0 : int.Parse(marker, System.Globalization.CultureInfo.InvariantCulture);
            var body = new JsonObject { [listName] = new JsonArray([.. items.Skip(start).Take(pageSize)]) };
            if (start + pageSize < items.Count) body["NextMarker"] = (start + pageSize).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") });
        }

        private static Task<HttpResponseMessage> Error(HttpStatusCode status, string type, string message)
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(new JsonObject { ["Type"] = "User", ["message"] = message }.ToJsonString()) };
            response.Headers.Add("x-amzn-ErrorType", $"{type}:http://internal.amazon.com/coral/com.amazonaws.awsgirapi/");
            return Task.FromResult(response);
        }
    }
}
