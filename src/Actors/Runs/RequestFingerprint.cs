using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jarvis.Actors.Runs;

/// <summary>SHA-256 of a canonical form of <c>node_type_ref</c> and <c>inputs</c> (object keys sorted, strings
/// re-escaped uniformly): two executes are the same request exactly when their fingerprints are equal, whatever
/// the key order or escaping. A remembered run keeps 32 bytes instead of its whole request.</summary>
public static class RequestFingerprint
{
    private static readonly JsonWriterOptions Canonical = new() { Indented = false, SkipValidation = true };

    public static UInt128 Of(JsonNode nodeTypeRef, JsonNode inputs)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Canonical))
        {
            writer.WriteStartArray();
            Write(writer, nodeTypeRef);
            Write(writer, inputs);
            writer.WriteEndArray();
        }
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (name, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(name);
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array) Write(writer, item);
                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
