using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Jarvis.NodePacks.Core;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.NodePacks.Tests.Core;

public sealed class Sha256NodeTests
{
    /// <summary>FIPS 180-2's test vector for "abc".</summary>
    private const string AbcDigest = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private const string NonAscii = "h\u00e9llo w\u00f6rld";

    private static async Task<string> Sha256Async(JsonObject inputs) =>
        (await Sha256Node.Definition.Handler!(inputs, Nodes.Context(Sha256Node.Definition), default))["sha256"]!.GetValue<string>();

    [Fact]
    public async Task Text_abc_gives_the_standard_digest() =>
        Assert.Equal(AbcDigest, await Sha256Async(new JsonObject { ["text"] = "abc" }));

    [Fact]
    public async Task Base64_content_of_abc_gives_the_same_digest() =>
        Assert.Equal(AbcDigest, await Sha256Async(new JsonObject { ["content_base64"] = Convert.ToBase64String("abc"u8) }));

    [Fact]
    public async Task Utf8_is_the_default_encoding()
    {
        Assert.Equal(await Sha256Async(new JsonObject { ["text"] = NonAscii, ["encoding"] = "utf-8" }),
            await Sha256Async(new JsonObject { ["text"] = NonAscii }));
        Assert.Equal(Hex(Encoding.UTF8.GetBytes(NonAscii)), await Sha256Async(new JsonObject { ["text"] = NonAscii }));
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("latin1")]
    public async Task Other_encodings_hash_other_bytes_for_non_ASCII_text(string encoding)
    {
        var utf8 = await Sha256Async(new JsonObject { ["text"] = NonAscii });
        var other = await Sha256Async(new JsonObject { ["text"] = NonAscii, ["encoding"] = encoding });

        Assert.NotEqual(utf8, other);
        Assert.Equal(Hex(Encoding.GetEncoding(encoding).GetBytes(NonAscii)), other);
    }

    [Fact]
    public async Task Latin1_and_utf8_agree_on_ASCII_text() =>
        Assert.Equal(AbcDigest, await Sha256Async(new JsonObject { ["text"] = "abc", ["encoding"] = "latin1" }));

    [Theory]
    [InlineData("""{"text": "not this", "content_base64": "YWJj"}""")]
    [InlineData("""{"text": null, "content_base64": "YWJj"}""")]
    [InlineData("""{"text": "abc", "content_base64": null, "encoding": null}""")]
    [InlineData("""{"text": "abc", "encoding": ""}""")]
    public async Task Null_is_absent_content_base64_wins_and_an_empty_encoding_is_utf8(string inputs) =>
        Assert.Equal(AbcDigest, await Sha256Async(Nodes.JsonObject(inputs)));

    [Theory]
    [InlineData("""{"text": null, "content_base64": null}""")]
    [InlineData("{}")]
    [InlineData("""{"encoding": "utf-8"}""")]
    [InlineData("""{"content_base64": "not base64!"}""")]
    [InlineData("""{"content_base64": "YWJ"}""")]
    [InlineData("""{"text": "abc", "encoding": "no-such-encoding"}""")]
    [InlineData("""{"text": "price: \u20ac", "encoding": "latin1"}""")]
    public async Task Bad_inputs_throw_InvalidNodeInputsException(string inputs) =>
        await Assert.ThrowsAsync<InvalidNodeInputsException>(() => Sha256Async(Nodes.JsonObject(inputs)));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
