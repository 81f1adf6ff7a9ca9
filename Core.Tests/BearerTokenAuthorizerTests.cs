using ItemsApi.Core.Auth;

namespace ItemsApi.Core.Tests;

public class BearerTokenAuthorizerTests
{
    private const string Token = "s3cr3t-token_value";
    private static readonly string TokenHash = BearerTokenAuthorizer.HashToken(Token);
    private readonly BearerTokenAuthorizer _authorizer = BearerTokenAuthorizer.FromList($"{new string('a', 64)}, {TokenHash}");

    [Fact]
    public void Hash_is_lowercase_hex_sha256() =>
        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", BearerTokenAuthorizer.HashToken("hello"));

    [Theory]
    [InlineData("Bearer " + Token)]
    [InlineData("bearer " + Token)]
    [InlineData("Bearer  " + Token + " ")]
    public void Allows_a_configured_token(string header)
    {
        Assert.Equal("token-" + TokenHash[..12], _authorizer.Authorize(header));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(Token)]
    [InlineData("Basic " + Token)]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer other-token")]
    [InlineData("Bearer " + Token + "x")]
    [InlineData("Bearer " + Token + " extra")]
    public void Refuses_anything_else(string? header) => Assert.Null(_authorizer.Authorize(header));

    [Theory]
    [InlineData(null, BearerTokenAuthorizer.MissingToken)]
    [InlineData("", BearerTokenAuthorizer.MissingToken)]
    [InlineData("  ", BearerTokenAuthorizer.MissingToken)]
    [InlineData(Token, BearerTokenAuthorizer.MalformedToken)]
    [InlineData("Basic " + Token, BearerTokenAuthorizer.MalformedToken)]
    [InlineData("Bearer", BearerTokenAuthorizer.MalformedToken)]
    [InlineData("Bearer ", BearerTokenAuthorizer.MalformedToken)]
    [InlineData("Bearer " + Token + " extra", BearerTokenAuthorizer.MalformedToken)]
    [InlineData("Bearer other-token", BearerTokenAuthorizer.UnknownToken)]
    [InlineData("Bearer " + Token + "x", BearerTokenAuthorizer.UnknownToken)]
    public void A_refusal_says_why(string? header, string reason) =>
        Assert.Equal(new TokenCheck(null, reason), _authorizer.Check(header));

    [Fact]
    public void An_allowed_caller_has_a_principal_and_no_reason()
    {
        TokenCheck check = _authorizer.Check("Bearer " + Token);
        Assert.True(check.IsAllowed);
        Assert.Equal(new TokenCheck("token-" + TokenHash[..12], null), check);
        Assert.False(_authorizer.Check("Bearer other-token").IsAllowed);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)] // the function's environment variable is not set
    public void Refuses_everything_when_no_hash_is_configured(string? hashList) =>
        Assert.Null(BearerTokenAuthorizer.FromList(hashList).Authorize("Bearer " + Token));

    [Fact]
    public void Rejects_a_malformed_hash_in_configuration() =>
        Assert.Throws<ArgumentException>(() => BearerTokenAuthorizer.FromList("not-a-hash"));

    [Theory]
    [InlineData("arn:aws:execute-api:eu-west-1:123456789012:abc123/dev/GET/items", "arn:aws:execute-api:eu-west-1:123456789012:abc123/dev/*/*")]
    [InlineData("arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/DELETE/items/01J", "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/*/*")]
    [InlineData("arn:aws-cn:execute-api:cn-north-1:123456789012:abc123/dev/PUT/items/x", "arn:aws-cn:execute-api:cn-north-1:123456789012:abc123/dev/*/*")]
    public void Policy_covers_the_whole_stage(string methodArn, string expected) =>
        Assert.Equal(expected, BearerTokenAuthorizer.StageWideResource(methodArn));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-an-arn")]
    [InlineData("arn:aws:execute-api:eu-west-1:123456789012:abc123")]
    [InlineData("arn:aws:execute-api:eu-west-1:abc123//GET/items")]
    public void Malformed_method_arns_get_no_policy(string? methodArn) =>
        Assert.Null(BearerTokenAuthorizer.StageWideResource(methodArn));

    [Fact]
    public void The_first_configured_hash_is_honoured_too()
    {
        var authorizer = BearerTokenAuthorizer.FromList($"{TokenHash},{new string('b', 64)}");
        Assert.Equal("token-" + TokenHash[..12], authorizer.Authorize("Bearer " + Token));
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("a\tb")]
    public void A_token_with_whitespace_inside_is_refused_even_when_its_hash_is_configured(string token) =>
        Assert.Null(BearerTokenAuthorizer.FromList(BearerTokenAuthorizer.HashToken(token)).Authorize("Bearer " + token));

    [Fact]
    public void An_empty_token_is_refused_even_when_the_hash_of_nothing_is_configured() =>
        Assert.Null(BearerTokenAuthorizer.FromList(BearerTokenAuthorizer.HashToken("")).Authorize("Bearer    "));

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg")] // 64 characters, one not hex
    [InlineData("g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde")]  // 63 hex characters
    public void A_hash_is_exactly_64_hex_characters(string hash)
    {
        Assert.False(BearerTokenAuthorizer.IsValidHash(hash));
        Assert.Contains("is not a SHA-256 hash (64 hex characters)", Assert.Throws<ArgumentException>(() => BearerTokenAuthorizer.FromList(hash)).Message);
    }

    [Theory]
    [InlineData("xrn:aws:execute-api:eu-west-1:123456789012:abc123/dev/GET/items", null)] // the shape of one, but not an ARN
    [InlineData("arn:aws:execute-api:eu-west-1:123456789012:abc123/dev", "arn:aws:execute-api:eu-west-1:123456789012:abc123/dev/*/*")]
    public void Only_an_arn_with_a_stage_gets_a_policy(string methodArn, string? expected) =>
        Assert.Equal(expected, BearerTokenAuthorizer.StageWideResource(methodArn));
}
