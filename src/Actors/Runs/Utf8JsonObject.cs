using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jarvis.Actors.Runs;

/// <summary>A JSON object held as its UTF-8 text: a run's outputs, serialized once by the run actor and then written
/// as they are to every response, stored result and cross-node message. One flat array, which the GC need not trace,
/// and which holds nothing of the request it may have been built from. Never mutated after it is built.</summary>
public sealed class Utf8JsonObject
{
    private readonly byte[] _utf8;

    private Utf8JsonObject(byte[] utf8) => _utf8 = utf8;

    public ReadOnlySpan<byte> Utf8 => _utf8;

    public int Length => _utf8.Length;

    public static Utf8JsonObject From(JsonObject value) => new(JsonSerializer.SerializeToUtf8Bytes(value));

    /// <summary>Takes ownership of <paramref name="utf8"/>, which must hold one JSON object (e.g. read from a message).</summary>
    internal static Utf8JsonObject Wrap(byte[] utf8) => new(utf8);

    /// <summary>A fresh, mutable copy of the object, for code that needs a DOM (tests, tools).</summary>
    public JsonObject Parse() => JsonNode.Parse(_utf8)!.AsObject();

    public override string ToString() => Encoding.UTF8.GetString(_utf8);
}
