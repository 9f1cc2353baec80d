using System.Diagnostics;
using System.Globalization;
using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Sharding;
using Jarvis.Actors.Supervision;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Actors.Serialization;

/// <summary>Reads an execute as <see cref="RunMessageSerializer"/> writes it, in one forward pass over the UTF-8: only
/// what a <see cref="RunRequest"/> holds as a DOM (<c>node_type_ref</c>, <c>inputs</c>, <c>budgets</c>) becomes one;
/// every routed run crosses nodes this way.</summary>
internal static class RequestReader
{
    public static ExecuteRun ReadExecute(byte[] bytes) => new(Read(bytes, out _, out _));

    public static RoutedExecute ReadRouted(byte[] bytes)
    {
        var request = Read(bytes, out var correlation, out var ackWanted);
        return new RoutedExecute(request, correlation ?? throw Json.Lacks("c"), ackWanted);
    }

    private static RunRequest Read(byte[] bytes, out long? correlation, out bool ackWanted)
    {
        var reader = new Utf8JsonReader(bytes);
        Json.Start(ref reader);
        correlation = null;
        ackWanted = false;
        var fields = new Fields();
        while (Json.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("c")) correlation = Json.ReadInt64(ref reader);
            else if (reader.ValueTextEquals("ack")) ackWanted = Json.ReadBoolean(ref reader);
            else if (reader.ValueTextEquals("id")) fields.Id = Json.ReadString(ref reader);
            else if (reader.ValueTextEquals("run")) fields.Run = Json.ReadString(ref reader);
            else if (reader.ValueTextEquals("type")) fields.Type = Json.ReadString(ref reader);
            else if (reader.ValueTextEquals("version")) fields.Version = Json.ReadString(ref reader);
            else if (reader.ValueTextEquals("ref")) fields.Ref = Json.ReadObject(ref reader);
            else if (reader.ValueTextEquals("inputs")) fields.Inputs = Json.ReadObject(ref reader);
            else if (reader.ValueTextEquals("wall_ticks")) fields.WallTicks = Json.ReadInt64(ref reader);
            else if (reader.ValueTextEquals("budgets")) fields.Budgets = Json.ReadObject(ref reader);
            else if (reader.ValueTextEquals("trace")) fields.Trace = Json.ReadString(ref reader);
            else if (reader.ValueTextEquals("span")) fields.Span = Json.ReadString(ref reader);
            else if (reader.ValueTextEquals("flags")) fields.Flags = Json.ReadInt64(ref reader);
            else if (reader.ValueTextEquals("state")) fields.TraceState = Json.ReadString(ref reader);
            else if (reader.ValueTextEquals("sub")) fields.Subject = Json.ReadString(ref reader);
            else if (reader.ValueTextEquals("claims")) fields.Claims = Json.ReadObject(ref reader);
            else if (reader.ValueTextEquals("fp")) fields.Fingerprint = Json.ReadString(ref reader);
            else Json.Skip(ref reader);
        }
        return fields.Request();
    }

    private sealed class Fields
    {
        public string? Id, Run, Type, Version, Trace, Span, TraceState, Subject, Fingerprint;
        public JsonObject? Ref, Inputs, Budgets, Claims;
        public long? WallTicks, Flags;

        public RunRequest Request() => new()
        {
            NodeRunId = Id ?? throw Json.Lacks("id"),
            RunId = Run ?? throw Json.Lacks("run"),
            NodeTypeId = Type ?? throw Json.Lacks("type"),
            NodeTypeVersion = Version ?? throw Json.Lacks("version"),
            NodeTypeRef = Ref ?? throw Json.Lacks("ref"),
            Inputs = Inputs ?? throw Json.Lacks("inputs"),
            MaxWallTime = WallTicks is { } wall ? TimeSpan.FromTicks(wall) : null,
            Budgets = Budgets,
            Trace = Trace is null
                ? default
                : new ActivityContext(ActivityTraceId.CreateFromString(Trace), ActivitySpanId.CreateFromString(Span ?? throw Json.Lacks("span")),
                    (ActivityTraceFlags)(Flags ?? throw Json.Lacks("flags")), TraceState, isRemote: true),
            Caller = Subject is null
                ? CallerPrincipal.Anonymous
                : new CallerPrincipal(Subject, (Claims ?? throw Json.Lacks("claims")).ToDictionary(claim => claim.Key, claim => claim.Value!.GetValue<string>())),
            KnownFingerprint = UInt128.Parse(Fingerprint ?? throw Json.Lacks("fp"), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
        };
    }
}
