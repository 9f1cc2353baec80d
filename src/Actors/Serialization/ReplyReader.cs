using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Sharding;
using Jarvis.Actors.Supervision;

namespace Jarvis.Actors.Serialization;

/// <summary>Reads a run's answer as <see cref="RunMessageSerializer"/> writes it, in one forward pass over the UTF-8:
/// a result's outputs are taken as the bytes they are, without building a DOM of them (every routed run's answer
/// crosses nodes, and outputs can be large). Only an error's <c>details</c> become a DOM, as <see cref="RunError"/>
/// holds them.</summary>
internal static class ReplyReader
{
    public static RoutedReply ReadRouted(byte[] bytes)
    {
        var reader = new Utf8JsonReader(bytes);
        Json.Start(ref reader);
        long? correlation = null;
        ExecuteReply? reply = null;
        while (Json.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("c")) correlation = Json.ReadInt64(ref reader);
            else if (reader.ValueTextEquals("reply"))
            {
                reader.Read();
                reply = Read(ref reader, bytes, manifest: null);
            }
            else Json.Skip(ref reader);
        }
        return new RoutedReply(correlation ?? throw Json.Lacks("c"), reply ?? throw Json.Lacks("reply"));
    }

    public static ExecuteReply Read(byte[] bytes, string manifest)
    {
        var reader = new Utf8JsonReader(bytes);
        reader.Read();
        return Read(ref reader, bytes, manifest);
    }

    /// <summary>The reply object the reader is on; its manifest is <paramref name="manifest"/>, or its own <c>m</c> field.</summary>
    private static ExecuteReply Read(ref Utf8JsonReader reader, byte[] bytes, string? manifest)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new SerializationException("a reply is not a JSON object");
        var fields = new Fields();
        while (Json.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("m")) manifest ??= Json.ReadString(ref reader);
            else if (reader.ValueTextEquals("id")) fields.Id = Json.ReadString(ref reader);
            else if (reader.ValueTextEquals("state")) fields.State = Json.ReadInt64(ref reader);
            else if (reader.ValueTextEquals("started")) fields.Started = Json.ReadInt64(ref reader);
            else if (reader.ValueTextEquals("ended")) fields.Ended = Json.ReadInt64(ref reader);
            else if (reader.ValueTextEquals("outputs")) fields.Outputs = ReadRawObject(ref reader, bytes);
            else if (reader.ValueTextEquals("error")) fields.Error = ReadError(ref reader);
            else if (reader.ValueTextEquals("reason")) fields.Reason = Json.ReadInt64(ref reader);
            else if (reader.ValueTextEquals("message")) fields.Message = Json.ReadString(ref reader);
            else Json.Skip(ref reader);
        }
        return manifest switch
        {
            RunMessageSerializer.AnsweredManifest => new RunAnswered(fields.Result()),
            RunMessageSerializer.RefusedManifest => new RunRefused(fields.RefusalReason(), fields.Message ?? throw Json.Lacks("message")),
            _ => throw new SerializationException($"unknown reply manifest '{manifest}'"),
        };
    }

    private sealed class Fields
    {
        public string? Id, Message;
        public long? State, Started, Ended, Reason;
        public Utf8JsonObject? Outputs;
        public RunError? Error;

        public RunResult Result()
        {
            var state = (RunState)(State ?? throw Json.Lacks("state"));
            if (!Enum.IsDefined(state)) throw new SerializationException($"unknown run state {(int)state}");
            return new RunResult(Id ?? throw Json.Lacks("id"), state,
                new DateTimeOffset(Started ?? throw Json.Lacks("started"), TimeSpan.Zero),
                new DateTimeOffset(Ended ?? throw Json.Lacks("ended"), TimeSpan.Zero), Outputs, Error);
        }

        public RefusalReason RefusalReason()
        {
            var reason = (RefusalReason)(Reason ?? throw Json.Lacks("reason"));
            return Enum.IsDefined(reason) ? reason : throw new SerializationException($"unknown refusal reason {(int)reason}");
        }
    }

    private static RunError ReadError(ref Utf8JsonReader reader)
    {
        reader.Read();
        var error = JsonNode.Parse(ref reader) as JsonObject ?? throw new SerializationException("a run error is not a JSON object");
        return new RunError(Text(error, "code"), Text(error, "message"), error["retryable"]?.GetValue<bool>(), error["details"] as JsonObject);
    }

    private static Utf8JsonObject ReadRawObject(ref Utf8JsonReader reader, byte[] bytes)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject) throw new SerializationException("outputs are not a JSON object");
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return Utf8JsonObject.Copy(bytes.AsSpan(start, (int)reader.BytesConsumed - start));
    }

    private static string Text(JsonObject node, string name) => node[name]?.GetValue<string>() ?? throw Json.Lacks(name);

}
