using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Runtime.Serialization;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Serialization;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Sharding;
using Jarvis.Actors.Supervision;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Actors.Serialization;

/// <summary>
/// Every message that crosses nodes (<see cref="ICrossNodeMessage"/>), as System.Text.Json UTF-8: the request's
/// <c>node_type_ref</c>, <c>inputs</c> and <c>budgets</c> and the result's <c>outputs</c> and error <c>details</c>
/// are written as the JSON they are. The manifest names the message; the field names are this serializer's own
/// and short, since every execute crosses the wire twice.
/// </summary>
public sealed class RunMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Above Akka's reserved range (0–100); fixed for the life of a cluster.</summary>
    public const int Id = 7_301;

    private const string ExecuteManifest = "x", RoutedExecuteManifest = "rx", CancelManifest = "c", CancelAcceptedManifest = "ca",
        HomedManifest = "h", RoutedReplyManifest = "rr";
    internal const string AnsweredManifest = "a", RefusedManifest = "r";

    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        ExecuteRun => ExecuteManifest,
        RoutedExecute => RoutedExecuteManifest,
        CancelRun => CancelManifest,
        CancelAccepted => CancelAcceptedManifest,
        RunHomed => HomedManifest,
        RoutedReply => RoutedReplyManifest,
        RunAnswered => AnsweredManifest,
        RunRefused => RefusedManifest,
        _ => throw new ArgumentException($"{o.GetType()} is not a cluster message of this executor", nameof(o)),
    };

    /// <summary>Each thread's buffer and writer, reused: a message is written whole on one thread and copied out, so a
    /// message costs one array (the one Akka keeps), not a growing buffer and a writer. Buffers above
    /// <see cref="KeptBufferBytes"/> (a large result) are not kept.</summary>
    [ThreadStatic] private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? _scratch;

    private const int KeptBufferBytes = 64 * 1024;

    public override byte[] ToBinary(object obj)
    {
        var (buffer, writer) = _scratch ??= NewScratch();
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        try
        {
            Write(writer, obj);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            if (buffer.Capacity > KeptBufferBytes) _scratch = null;
        }
    }

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewScratch()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        return (buffer, new Utf8JsonWriter(buffer, WriterOptions));
    }

    private void Write(Utf8JsonWriter writer, object obj)
    {
        writer.WriteStartObject();
        switch (obj)
        {
            case ExecuteRun execute: WriteRequest(writer, execute.Request); break;
            case RoutedExecute routed:
                writer.WriteNumber("c", routed.Correlation);
                if (routed.AckWanted) writer.WriteBoolean("ack", true);
                WriteRequest(writer, routed.Request);
                break;
            case CancelRun cancel: writer.WriteString("id", cancel.NodeRunId); break;
            case CancelAccepted: break;
            case RunHomed homed: writer.WriteNumber("c", homed.Correlation); break;
            case RoutedReply reply:
                writer.WriteNumber("c", reply.Correlation);
                writer.WritePropertyName("reply");
                writer.WriteStartObject();
                writer.WriteString("m", Manifest(reply.Reply));
                WriteReply(writer, reply.Reply);
                writer.WriteEndObject();
                break;
            case ExecuteReply reply: WriteReply(writer, reply); break;
            default: throw new ArgumentException($"{obj.GetType()} is not a cluster message of this executor", nameof(obj));
        }
        writer.WriteEndObject();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        switch (manifest)
        {
            case RoutedReplyManifest: return ReplyReader.ReadRouted(bytes);
            case AnsweredManifest or RefusedManifest: return ReplyReader.Read(bytes, manifest);
            case ExecuteManifest: return RequestReader.ReadExecute(bytes);
            case RoutedExecuteManifest: return RequestReader.ReadRouted(bytes);
        }
        var root = JsonNode.Parse(bytes)?.AsObject() ?? throw new SerializationException("empty cluster message");
        return manifest switch
        {
            CancelManifest => new CancelRun(String(root, "id")),
            CancelAcceptedManifest => CancelAccepted.Instance,
            HomedManifest => new RunHomed(Long(root, "c")),
            _ => throw new SerializationException($"unknown cluster message manifest '{manifest}'"),
        };
    }

    private void WriteReply(Utf8JsonWriter writer, ExecuteReply reply)
    {
        switch (reply)
        {
            case RunAnswered answered:
                WriteResult(writer, answered.Result);
                break;
            case RunRefused refused:
                writer.WriteNumber("reason", (int)refused.Reason);
                writer.WriteString("message", refused.Message);
                break;
            default: throw new ArgumentException($"{reply.GetType()} is not a reply of this executor", nameof(reply));
        }
    }

    private static void WriteRequest(Utf8JsonWriter writer, RunRequest request)
    {
        writer.WriteString("id", request.NodeRunId);
        writer.WriteString("run", request.RunId);
        writer.WriteString("type", request.NodeTypeId);
        writer.WriteString("version", request.NodeTypeVersion);
        WriteNode(writer, "ref", request.NodeTypeRef);
        WriteNode(writer, "inputs", request.Inputs);
        if (request.MaxWallTime is { } wall) writer.WriteNumber("wall_ticks", wall.Ticks);
        if (request.Budgets is { } budgets) WriteNode(writer, "budgets", budgets);
        if (request.Trace != default)
        {
            writer.WriteString("trace", request.Trace.TraceId.ToHexString());
            writer.WriteString("span", request.Trace.SpanId.ToHexString());
            writer.WriteNumber("flags", (int)request.Trace.TraceFlags);
            if (request.Trace.TraceState is { } state) writer.WriteString("state", state);
        }
        if (request.Caller.Subject is { } subject)
        {
            writer.WriteString("sub", subject);
            writer.WriteStartObject("claims");
            foreach (var (key, value) in request.Caller.Claims) writer.WriteString(key, value);
            writer.WriteEndObject();
        }
        var fingerprint = request.Fingerprint;
        writer.WriteString("fp", fingerprint.ToString("x32", CultureInfo.InvariantCulture));
    }

    private static void WriteResult(Utf8JsonWriter writer, RunResult result)
    {
        writer.WriteString("id", result.NodeRunId);
        writer.WriteNumber("state", (int)result.State);
        writer.WriteNumber("started", result.StartedAt.UtcTicks);
        writer.WriteNumber("ended", result.EndedAt.UtcTicks);
        if (result.Outputs is { } outputs)
        {
            writer.WritePropertyName("outputs");
            outputs.WriteTo(writer);
        }
        if (result.Error is not { } error) return;
        writer.WriteStartObject("error");
        writer.WriteString("code", error.Code);
        writer.WriteString("message", error.Message);
        if (error.Retryable is { } retryable) writer.WriteBoolean("retryable", retryable);
        if (error.Details is { } details) WriteNode(writer, "details", details);
        writer.WriteEndObject();
    }

    private static void WriteNode(Utf8JsonWriter writer, string name, JsonNode node)
    {
        writer.WritePropertyName(name);
        node.WriteTo(writer);
    }

    private static string String(JsonObject node, string name) =>
        node[name]?.GetValue<string>() ?? throw new SerializationException($"cluster message lacks '{name}'");

    private static long Long(JsonObject node, string name) =>
        node[name]?.GetValue<long>() ?? throw new SerializationException($"cluster message lacks '{name}'");

    private static JsonObject Object(JsonObject node, string name) =>
        node[name] as JsonObject ?? throw new SerializationException($"cluster message lacks object '{name}'");
}
