using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommunityToolkit.HighPerformance.Buffers;

namespace Jarvis.Actors.Runs;

/// <summary>A JSON object held as its UTF-8 text: a run's outputs, serialized once by the run actor and then written
/// as they are to every response, stored result and cross-node message. Arrays the GC need not trace, holding nothing
/// of the request they may have been built from. Never mutated after it is built.</summary>
/// <remarks>A large object is held in segments of <see cref="SegmentBytes"/>, below the runtime's large-object
/// threshold: remembered results then live in the compacted heap, not as large-object-heap arrays whose eviction
/// leaves holes that heap never compacts (600 remembered 1 MB results took RSS to 2.8x the budget that way).</remarks>
public sealed class Utf8JsonObject
{
    internal const int SegmentBytes = 64 * 1024;

    /// <summary>Each thread's serialization buffer, rented from the shared array pool and reused; one grown past
    /// <see cref="SegmentBytes"/> by a large output goes back to the pool after use.</summary>
    [ThreadStatic] private static (ArrayPoolBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? _scratch;

    /// <summary>One <c>byte[]</c> up to <see cref="SegmentBytes"/>, else a <c>byte[][]</c> of segments: a remembered
    /// echo-sized result then costs one array, as it did before segments.</summary>
    private readonly object _utf8;

    private Utf8JsonObject(object utf8, int length)
    {
        _utf8 = utf8;
        Length = length;
    }

    public int Length { get; }

    /// <summary>The UTF-8 text, in one or more segments.</summary>
    public ReadOnlySequence<byte> Utf8 => _utf8 is byte[] whole ? new ReadOnlySequence<byte>(whole) : Chain((byte[][])_utf8);

    public static Utf8JsonObject From(JsonObject value)
    {
        var (buffer, writer) = _scratch ??= NewScratch();
        writer.Reset(buffer);
        try
        {
            value.WriteTo(writer);
            writer.Flush();
            return Copy(buffer.WrittenSpan);
        }
        finally
        {
            buffer.Clear();
            if (buffer.Capacity > SegmentBytes)
            {
                buffer.Dispose();
                _scratch = null;
            }
        }
    }

    /// <summary>A copy of <paramref name="utf8"/>, which must hold one JSON object (e.g. read from a message).</summary>
    internal static Utf8JsonObject Copy(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length <= SegmentBytes) return new Utf8JsonObject(utf8.ToArray(), utf8.Length);
        var segments = new byte[(utf8.Length + SegmentBytes - 1) / SegmentBytes][];
        for (var i = 0; i < segments.Length; i++)
            segments[i] = utf8.Slice(i * SegmentBytes, Math.Min(SegmentBytes, utf8.Length - i * SegmentBytes)).ToArray();
        return new Utf8JsonObject(segments, utf8.Length);
    }

    /// <summary>Writes the object as the next value of <paramref name="writer"/>.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        // Written by System.Text.Json in the run actor (or checked when read from a message): no second validation.
        if (_utf8 is byte[] whole) writer.WriteRawValue(whole, skipInputValidation: true);
        else writer.WriteRawValue(Utf8, skipInputValidation: true);
    }

    /// <summary>A fresh, mutable copy of the object, for code that needs a DOM (tests, tools).</summary>
    public JsonObject Parse()
    {
        var reader = new Utf8JsonReader(Utf8);
        return JsonNode.Parse(ref reader)!.AsObject();
    }

    public override string ToString() => Encoding.UTF8.GetString(Utf8);

    private static (ArrayPoolBufferWriter<byte>, Utf8JsonWriter) NewScratch()
    {
        var buffer = new ArrayPoolBufferWriter<byte>(1024);
        return (buffer, new Utf8JsonWriter(buffer));
    }

    private static ReadOnlySequence<byte> Chain(byte[][] segments)
    {
        var first = new Segment(segments[0], 0);
        var last = first;
        for (var i = 1; i < segments.Length; i++) last = last.Append(segments[i]);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, long runningIndex)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
