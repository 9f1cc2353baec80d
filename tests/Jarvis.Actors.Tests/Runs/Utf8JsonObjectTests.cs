using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jarvis.Actors.Runs;

namespace Jarvis.Actors.Tests.Runs;

public sealed class Utf8JsonObjectTests
{
    /// <summary>The runtime puts arrays of 85,000 bytes and more on the large-object heap.</summary>
    private const int LargeObjectThreshold = 85_000;

    [Fact]
    public void Large_outputs_are_held_in_segments_below_the_large_object_threshold_and_read_back_unchanged()
    {
        // multi-byte characters, so some land across a segment boundary
        var outputs = new JsonObject { ["echo"] = string.Concat(Enumerable.Repeat("aü€😀", 60_000)), ["n"] = 1 };
        var expected = JsonSerializer.SerializeToUtf8Bytes(outputs);

        var stored = Utf8JsonObject.From(outputs);

        Assert.Equal(expected.Length, stored.Length);
        Assert.False(stored.Utf8.IsSingleSegment);
        foreach (var segment in stored.Utf8) Assert.True(segment.Length < LargeObjectThreshold, $"a segment of {segment.Length} bytes");
        Assert.Equal(expected, stored.Utf8.ToArray());
        Assert.Equal(Encoding.UTF8.GetString(expected), stored.ToString());
        Assert.True(JsonNode.DeepEquals(outputs, stored.Parse()));
        Assert.Equal("""{"outputs":""" + Encoding.UTF8.GetString(expected) + "}", Written(stored));
    }

    [Fact]
    public void Small_outputs_are_one_array_and_read_back_unchanged()
    {
        var outputs = new JsonObject { ["echo"] = "hi <&>", ["list"] = new JsonArray("a", 2) };
        var stored = Utf8JsonObject.From(outputs);

        Assert.True(stored.Utf8.IsSingleSegment);
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(outputs), stored.Utf8.ToArray());
        Assert.Equal("""{"outputs":""" + JsonSerializer.Serialize(outputs) + "}", Written(stored));
    }

    [Fact]
    public void A_large_output_does_not_change_what_later_small_ones_serialize_to()
    {
        Utf8JsonObject.From(new JsonObject { ["big"] = new string('x', 200_000) });
        var small = new JsonObject { ["a"] = 1 };
        Assert.Equal("""{"a":1}""", Utf8JsonObject.From(small).ToString());
    }

    private static string Written(Utf8JsonObject stored)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("outputs");
            stored.WriteTo(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
