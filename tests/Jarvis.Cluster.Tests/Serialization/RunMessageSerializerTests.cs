using Akka.Actor;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Serialization;
using Jarvis.Actors.Sharding;
using Jarvis.Actors.Supervision;

namespace Jarvis.Cluster.Tests.Serialization;

/// <summary>Every message that crosses nodes survives the trip through <see cref="RunMessageSerializer"/> whole.</summary>
public sealed class RunMessageSerializerTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("serialization-tests", "akka.loglevel = WARNING");
    private readonly RunMessageSerializer _serializer;

    public RunMessageSerializerTests() => _serializer = new RunMessageSerializer((ExtendedActorSystem)_system);

    public void Dispose() => _system.Dispose();

    public static TheoryData<int> Samples() => [.. Enumerable.Range(0, CrossNodeMessages.All().Count())];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Message_round_trips_with_every_field(int sample)
    {
        var message = CrossNodeMessages.All().ElementAt(sample);

        var copy = RoundTrip(message);

        Assert.IsType(message.GetType(), copy);
        Assert.Equal(Describe(message), Describe(copy));
    }

    [Fact]
    public void Every_cross_node_message_type_has_a_sample_here()
    {
        var types = typeof(ICrossNodeMessage).Assembly.GetTypes()
            .Where(t => typeof(ICrossNodeMessage).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false });
        var sampled = CrossNodeMessages.All().Select(m => m.GetType()).ToHashSet();

        Assert.All(types, t => Assert.Contains(t, sampled));
    }

    [Fact]
    public void Request_keeps_its_fingerprint_and_it_matches_the_inputs()
    {
        var request = CrossNodeMessages.FullRequest();
        var copy = Assert.IsType<RoutedExecute>(RoundTrip(new RoutedExecute(request, 1, AckWanted: true))).Request;

        Assert.Equal(request.Fingerprint, copy.Fingerprint);
        Assert.Equal(RequestFingerprint.Of(copy.NodeTypeRef, copy.Inputs), copy.Fingerprint);
    }

    [Fact]
    public void Identifier_is_outside_akkas_reserved_range() => Assert.True(_serializer.Identifier > 100);

    [Fact]
    public void Unknown_manifest_or_broken_payload_is_a_serialization_error()
    {
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => _serializer.FromBinary("{}"u8.ToArray(), "no-such-manifest"));
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => _serializer.FromBinary("{}"u8.ToArray(), "rx"));
        Assert.ThrowsAny<Exception>(() => _serializer.FromBinary("not json"u8.ToArray(), "c"));
    }

    private object RoundTrip(object message) => _serializer.FromBinary(_serializer.ToBinary(message), _serializer.Manifest(message));

    /// <summary>Every field of a message as text: JSON values by their JSON, times to the tick.</summary>
    private static string Describe(object message) => message switch
    {
        ExecuteRun execute => "execute " + Describe(execute.Request),
        RoutedExecute routed => $"routed {routed.Correlation} ack {routed.AckWanted} " + Describe(routed.Request),
        RoutedReply reply => $"reply {reply.Correlation} " + Describe(reply.Reply),
        RunAnswered answered => "answered " + Describe(answered.Result),
        RunRefused refused => $"refused {refused.Reason} {refused.Message}",
        CancelRun cancel => $"cancel {cancel.NodeRunId}",
        RunHomed homed => $"homed {homed.Correlation}",
        CancelAccepted => "cancel accepted",
        _ => throw new ArgumentException($"no description for {message.GetType()}"),
    };

    private static string Describe(RunRequest r) => string.Join(" | ", r.NodeRunId, r.RunId, r.NodeTypeId, r.NodeTypeVersion,
        r.NodeTypeRef.ToJsonString(), r.Inputs.ToJsonString(), r.MaxWallTime?.Ticks, r.Budgets?.ToJsonString(),
        r.Trace.TraceId, r.Trace.SpanId, r.Trace.TraceFlags, r.Trace.TraceState, r.Trace.IsRemote,
        r.Caller.Subject, string.Join(",", r.Caller.Claims.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}")), r.Fingerprint);

    private static string Describe(RunResult r) => string.Join(" | ", r.NodeRunId, r.State, r.StartedAt.UtcTicks, r.StartedAt.Offset,
        r.EndedAt.UtcTicks, r.Outputs?.ToString(), r.Error?.Code, r.Error?.Message, r.Error?.Retryable, r.Error?.Details?.ToJsonString());
}
