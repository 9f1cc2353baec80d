using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.NodePacks.Core;

public static class Sha256Node
{
    public static readonly NodeDefinition Definition = new()
    {
        NodeTypeId = "jarvis.core.hash.sha256",
        Version = CoreNodePack.PackVersion,
        Description = "SHA-256 of the bytes in `content_base64`, else of `text` (in `encoding`, default utf-8), as lowercase hex.",
        InputSchema = Schemas.Object("""
            {"text": {"type": ["string", "null"]},
             "encoding": {"type": ["string", "null"]},
             "content_base64": {"type": ["string", "null"]}}
            """),
        OutputSchema = Schemas.Object("""{"sha256": {"type": "string", "minLength": 64, "maxLength": 64}}""", required: ["sha256"]),
        Tags = ["core", "crypto"],
        Handler = (inputs, _, _) => ValueTask.FromResult(new JsonObject { ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Bytes(inputs))) }),
    };

    private static byte[] Bytes(JsonObject inputs)
    {
        // As the reference: null means absent, and content_base64 wins when both are given.
        var text = inputs["text"]?.GetValue<string>();
        var base64 = inputs["content_base64"]?.GetValue<string>();
        if (text is null && base64 is null)
            throw new InvalidNodeInputsException("one of `text` and `content_base64` is required");
        if (base64 is not null)
        {
            try { return Convert.FromBase64String(base64); }
            catch (FormatException) { throw new InvalidNodeInputsException("`content_base64` is not valid base64"); }
        }
        try { return EncodingOf(inputs["encoding"]?.GetValue<string>() is { Length: > 0 } name ? name : "utf-8").GetBytes(text!); }
        catch (EncoderFallbackException) { throw new InvalidNodeInputsException("`text` cannot be represented in the requested `encoding`"); }
    }

    private static Encoding EncodingOf(string name)
    {
        try { return Encoding.GetEncoding(name, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new InvalidNodeInputsException($"unsupported `encoding` '{name}'");
        }
    }
}
