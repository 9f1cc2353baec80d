using System.Collections.Concurrent;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace Jarvis.Cluster.Tests.Serialization;

/// <summary>The fallback serializer of <see cref="SerializeMessagesTests"/>: Akka's own messages go through it as
/// through the default fallback, but a message of the executor's that reaches it (neither bound to its serializer nor
/// marked as never leaving a node) is refused and recorded.</summary>
public sealed class FallbackTripwire(ExtendedActorSystem system) : Serializer(system)
{
    private readonly NewtonSoftJsonSerializer _fallback = new(system);

    public static ConcurrentQueue<string> Violations { get; } = new();

    public override int Identifier => 7_399;

    public override bool IncludeManifest => _fallback.IncludeManifest;

    public override byte[] ToBinary(object obj)
    {
        var type = obj.GetType();
        if (type.Assembly.GetName().Name?.StartsWith("Jarvis", StringComparison.Ordinal) == true)
        {
            Violations.Enqueue(type.FullName!);
            throw new SerializationException($"{type.FullName} has no serializer of the executor's and is not marked node-local");
        }
        return _fallback.ToBinary(obj);
    }

    public override object FromBinary(byte[] bytes, Type type) => _fallback.FromBinary(bytes, type);
}
