using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommunityToolkit.HighPerformance.Buffers;

namespace Jarvis.Actors.Runs;

/// <summary>SHA-256 of a canonical form of <c>node_type_ref</c> and <c>inputs</c> (object keys sorted, strings
/// re-escaped uniformly, numbers written by value, see <see cref="CanonicalNumber"/>): two executes are the same
/// request exactly when their fingerprints are equal, whatever the key order, escaping or number spelling. A
/// remembered run keeps 32 bytes instead of its whole request.</summary>
public static class RequestFingerprint
{
    private static readonly JsonWriterOptions Canonical = new() { Indented = false, SkipValidation = true };

    // Every execute computes one on a request thread: reuse that thread's buffer and writer instead of
    // allocating them per request.
    // Rented from the shared pool: a large request's canonical form would otherwise grow through a series of
    // large-object-heap arrays.
    [ThreadStatic] private static ArrayPoolBufferWriter<byte>? _buffer;
    [ThreadStatic] private static Utf8JsonWriter? _writer;

    public static UInt128 Of(JsonNode nodeTypeRef, JsonNode inputs)
    {
        var buffer = _buffer ??= new ArrayPoolBufferWriter<byte>(256);
        var writer = _writer ??= new Utf8JsonWriter(buffer, Canonical);
        try
        {
            writer.WriteStartArray();
            Write(writer, nodeTypeRef);
            Write(writer, inputs);
            writer.WriteEndArray();
            writer.Flush();
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.WrittenSpan, hash);
            return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash);
        }
        finally
        {
            writer.Reset();
            // A huge request must not pin its buffer to the thread for good.
            buffer.Clear();
            if (buffer.Capacity > 64 * 1024)
            {
                buffer.Dispose();
                (_buffer, _writer) = (null, null);
            }
        }
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                WriteObject(writer, obj);
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array) Write(writer, item);
                writer.WriteEndArray();
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                CanonicalNumber.Write(writer, value);
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    private static void WriteObject(Utf8JsonWriter writer, JsonObject obj)
    {
        var count = obj.Count;
        var properties = ArrayPool<KeyValuePair<string, JsonNode?>>.Shared.Rent(count);
        try
        {
            ((ICollection<KeyValuePair<string, JsonNode?>>)obj).CopyTo(properties, 0);
            if (count > 1) Array.Sort(properties, 0, count, ByOrdinalKey.Instance);
            writer.WriteStartObject();
            for (var i = 0; i < count; i++)
            {
                writer.WritePropertyName(properties[i].Key);
                Write(writer, properties[i].Value);
            }
            writer.WriteEndObject();
        }
        finally
        {
            ArrayPool<KeyValuePair<string, JsonNode?>>.Shared.Return(properties, clearArray: true);
        }
    }

    private sealed class ByOrdinalKey : IComparer<KeyValuePair<string, JsonNode?>>
    {
        public static readonly ByOrdinalKey Instance = new();

        public int Compare(KeyValuePair<string, JsonNode?> x, KeyValuePair<string, JsonNode?> y) =>
            string.CompareOrdinal(x.Key, y.Key);
    }
}
