using Akka.Actor;
using Akka.Cluster;
using Jarvis.Api.Config;

namespace Jarvis.Api.Observability;

/// <summary>This node's view of the cluster, for health and metrics; <see cref="Enabled"/> is false on a single node.</summary>
public sealed class ClusterMembership(JarvisOptions options, IServiceProvider services)
{
    public bool Enabled { get; } = options.Cluster is not null;

    /// <summary>How members talk: <c>mutual_tls</c> (JARVIS_CLUSTER_TLS_*) or <c>plain_tcp</c> (unencrypted, unauthenticated).</summary>
    public string Remoting { get; } = options.Cluster?.Tls is null ? "plain_tcp" : "mutual_tls";

    /// <summary>When this node's cluster TLS certificate expires; null without TLS.</summary>
    public DateTimeOffset? CertificateNotAfter { get; } = options.Cluster?.Tls?.Certificate.NotAfter.ToUniversalTime();

    /// <summary>Null on a single node, or before the actor system exists.</summary>
    public MembershipView? Current()
    {
        if (!Enabled || services.GetService<ActorSystem>() is not { WhenTerminated.IsCompleted: false } system) return null;
        var cluster = Cluster.Get(system);
        var state = cluster.State;
        var self = state.Members.FirstOrDefault(m => m.Address == cluster.SelfAddress);
        return new MembershipView(
            cluster.SelfAddress.ToString(),
            self?.Status.ToString().ToLowerInvariant() ?? "joining",
            state.Members.Count(m => m.Status == MemberStatus.Up),
            state.Unreachable.Count,
            Remoting);
    }
}

public sealed record MembershipView(string Self, string SelfStatus, int MembersUp, int Unreachable, string Remoting)
{
    public bool SelfUp => SelfStatus == "up";
}
