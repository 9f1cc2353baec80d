using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jarvis.Actors.Serialization;

/// <summary>The forward-pass reading shared by <see cref="RequestReader"/> and <see cref="ReplyReader"/>: each
/// <c>ReadX</c> is called on a property name and leaves the reader on that property's value; a value of the wrong
/// kind is a <see cref="SerializationException"/>.</summary>
internal static class Json
{
    public static void Start(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new SerializationException("a cluster message is not a JSON object");
    }

    /// <summary>Moves to the object's next property name; false at its end.</summary>
    public static bool NextProperty(ref Utf8JsonReader reader) => reader.Read() && reader.TokenType == JsonTokenType.PropertyName;

    public static string ReadString(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new SerializationException("a string field is not a string");

    public static long ReadInt64(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : throw new SerializationException("a number field is not a number");

    public static bool ReadBoolean(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType is JsonTokenType.True or JsonTokenType.False
            ? reader.GetBoolean()
            : throw new SerializationException("a boolean field is not a boolean");

    public static JsonObject ReadObject(ref Utf8JsonReader reader)
    {
        reader.Read();
        return JsonNode.Parse(ref reader) as JsonObject ?? throw new SerializationException("an object field is not a JSON object");
    }

    public static void Skip(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    public static SerializationException Lacks(string name) => new($"cluster message lacks '{name}'");
}
