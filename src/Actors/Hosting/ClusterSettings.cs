using Jarvis.Actors.Remoting;

namespace Jarvis.Actors.Hosting;

/// <summary>Cluster mode's settings, validated once at start (JARVIS_CLUSTER_*).</summary>
/// <param name="HostName">The address remoting binds to.</param>
/// <param name="Port">Remoting's TCP port; 0 picks a free one (tests, or a node that never seeds others).</param>
/// <param name="PublicHostName">The host name other nodes dial; the bind address when null.</param>
/// <param name="Seeds">Seed node addresses (<c>akka.tcp://jarvis@host:port</c>); empty with <paramref name="SelfJoin"/>.</param>
/// <param name="SelfJoin">Form a cluster of one by joining this node's own address (the first node, or a single one).</param>
/// <param name="Role">The role this node joins with; runs are sharded over the members with this role only.</param>
/// <param name="AckTimeout">How long an execute may wait for its owning node to take it before it is refused as unavailable.</param>
/// <param name="MaxFrameBytes">Largest message between nodes: a request's inputs or a result's outputs must fit.</param>
/// <param name="Tls">Mutual TLS on the remoting port; null speaks plain TCP and admits anyone who can reach the port.</param>
public sealed record ClusterSettings(
    string HostName,
    int Port,
    string? PublicHostName,
    IReadOnlyList<string> Seeds,
    bool SelfJoin,
    string? Role,
    TimeSpan AckTimeout,
    int MaxFrameBytes,
    ClusterTlsSettings? Tls = null)
{
    /// <summary>The scheme of this cluster's addresses (seeds included): Akka.Remote names TLS transports <c>akka.ssl.tcp</c>.</summary>
    public string Protocol => Tls is null ? PlainProtocol : TlsProtocol;

    public const string PlainProtocol = "akka.tcp";
    public const string TlsProtocol = "akka.ssl.tcp";

    /// <summary>The actor system's name: the part of a seed address between <c>akka.tcp://</c> and <c>@</c>.</summary>
    public const string SystemName = "jarvis";

    public static readonly TimeSpan DefaultAckTimeout = TimeSpan.FromSeconds(5);
}
