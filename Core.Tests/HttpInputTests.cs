using System.Text;
using ItemsApi.Core.Http;

namespace ItemsApi.Core.Tests;

/// <summary>The parsers of request input at their edges: If-Match, page tokens and bodies at the size limit.</summary>
public class HttpInputTests
{
    [Theory]
    [InlineData("\"12")]   // opening quote only
    [InlineData("12\"")]   // closing quote only
    [InlineData("12")]     // no quotes
    [InlineData("\"\"")]   // quotes around nothing
    [InlineData("\"0\"")]  // versions start at 1
    [InlineData("W/\"1\"")] // weak ETags are not ours
    [InlineData("\"01\"")] // strong comparison is by string (RFC 9110): "01" is not our "1"
    [InlineData("\"007\"")]
    public void If_match_refuses_what_is_not_a_quoted_version(string header) =>
        Assert.Equal(IfMatch.Kind.Malformed, IfMatch.Parse(header).Kind);

    [Theory]
    [InlineData("\"1\"", 1)]
    [InlineData(" \"42\" ", 42)]
    public void If_match_reads_a_quoted_version(string header, long version) =>
        Assert.Equal(new IfMatch.Value(IfMatch.Kind.Version, version), IfMatch.Parse(header));

    [Fact]
    public void A_page_token_round_trips_and_a_forged_one_is_refused()
    {
        string id = Items.ItemId.New(TimeProvider.System);
        Assert.Equal(PageToken.Length, PageToken.Encode(id).Length);
        Assert.Equal(id, PageToken.Decode(PageToken.Encode(id)));
        Assert.Null(PageToken.Decode(PageToken.Encode("not-an-id")));
        Assert.Null(PageToken.Decode(""));
        Assert.Null(PageToken.Decode("!!"));
        Assert.Null(PageToken.Decode(new string('!', PageToken.Length))); // the right length, but not base64url
        Assert.Null(PageToken.Decode(new string('A', 65)));
    }

    [Theory]
    [InlineData(" ", "")]
    [InlineData("", " ")]
    [InlineData("", "\n")]
    [InlineData("\t", "      ")]
    public void A_page_token_padded_with_whitespace_is_not_ours(string before, string after)
    {
        // Base64url decoding skips whitespace: without an exact length check these would read as the token inside.
        string token = PageToken.Encode("01ARZ3NDEKTSV4RRFFQ69G5FAV");
        Assert.Null(PageToken.Decode(before + token + after));
    }

    [Fact]
    public void A_document_of_exactly_the_limit_is_accepted_and_one_byte_more_is_413()
    {
        string exact = Document(JsonBody.MaxDocumentBytes);
        Assert.Equal(JsonBody.MaxDocumentBytes, Encoding.UTF8.GetByteCount(exact));
        Assert.Equal(exact, JsonBody.Read(exact, isBase64Encoded: false).Document);
        Assert.Equal(exact, JsonBody.Read(Convert.ToBase64String(Encoding.UTF8.GetBytes(exact)), isBase64Encoded: true).Document);
        Assert.Equal(413, JsonBody.Read(Document(JsonBody.MaxDocumentBytes + 1), isBase64Encoded: false).Status);
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("\r\n\t ")]
    public void A_base64_body_of_only_whitespace_is_empty(string body)
    {
        // Base64 decoding skips whitespace, so this decodes to no bytes at all.
        JsonBody.Result result = JsonBody.Read(body, isBase64Encoded: true);
        Assert.Equal((400, "The request body is empty; send a JSON object."), (result.Status, result.Error));
    }

    [Fact]
    public void A_base64_body_is_decoded_up_to_the_length_of_the_largest_document_and_a_longer_one_is_413_unread()
    {
        // The longest base64 body a document of the limit can need; the limit itself, base64-encoded, is that long.
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(Document(JsonBody.MaxDocumentBytes))).Length, JsonBody.MaxBase64Length);

        JsonBody.Result longest = JsonBody.Read(new string('!', JsonBody.MaxBase64Length), isBase64Encoded: true);
        Assert.Equal((400, "The body is marked base64-encoded but is not valid base64."), (longest.Status, longest.Error));
        JsonBody.Result longer = JsonBody.Read(new string('!', JsonBody.MaxBase64Length + 1), isBase64Encoded: true);
        Assert.Equal((413, $"The document is larger than {JsonBody.MaxDocumentBytes} bytes, the most one item can hold."), (longer.Status, longer.Error));
        // Decoded, but one byte over: 413 as well.
        Assert.Equal(413, JsonBody.Read(Convert.ToBase64String(Encoding.UTF8.GetBytes(Document(JsonBody.MaxDocumentBytes + 1))), isBase64Encoded: true).Status);
    }

    [Fact]
    public void A_document_that_grows_when_stored_is_413()
    {
        // Characters outside the Basic Multilingual Plane are stored escaped (\uD83D\uDE00: 12 bytes for 4).
        string emoji = "{\"e\":\"" + string.Concat(Enumerable.Repeat("\U0001F600", 40_000)) + "\"}";
        Assert.True(Encoding.UTF8.GetByteCount(emoji) < JsonBody.MaxDocumentBytes);
        Assert.Equal(413, JsonBody.Read(emoji, isBase64Encoded: false).Status);
    }

    [Theory]
    [InlineData("[1]", "an array")]
    [InlineData("\"text\"", "a string")]
    [InlineData("12", "a number")]
    [InlineData("true", "a boolean")]
    [InlineData("null", "null")]
    public void A_body_that_is_not_an_object_says_what_it_is(string body, string what) =>
        Assert.Equal($"The body must be a JSON object, not {what}.", JsonBody.Read(body, isBase64Encoded: false).Error);

    [Theory]
    [InlineData("{\"a\":}")]
    [InlineData("{\"a\":1")]
    [InlineData("{'a':1}")]
    public void Invalid_json_gets_our_own_words_not_the_parsers(string body) =>
        Assert.Equal("The body is not valid JSON.", JsonBody.Read(body, isBase64Encoded: false).Error);

    [Theory]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("{\"a\":1 /* note */}")]
    public void Trailing_commas_duplicate_names_and_comments_are_refused(string body) =>
        Assert.Equal(400, JsonBody.Read(body, isBase64Encoded: false).Status);

    [Fact]
    public void The_stored_document_is_compact_and_keeps_non_ascii_text_readable() =>
        Assert.Equal("{\"a\":[1,2],\"b\":\"café <b>\"}", JsonBody.Read("{ \"a\" : [ 1, 2 ],\n \"b\": \"caf\\u00e9 <b>\" }", isBase64Encoded: false).Document);

    /// <summary>A compact JSON object of exactly <paramref name="bytes"/> UTF-8 bytes.</summary>
    private static string Document(int bytes) => "{\"a\":\"" + new string('x', bytes - 8) + "\"}";
}
