using Jarvis.Actors.Sharding;
using Prometheus;

namespace Jarvis.Api.Observability;

/// <summary>Cluster mode's metrics: members by status (read at scrape time) and where this node's executes ran.</summary>
public sealed class ClusterMetrics : IRunRouteObserver
{
    private readonly Counter.Child _local, _remote;
    private readonly Counter _ownerLost;
    private readonly Counter _reruns;
    private readonly RunMetrics _runs;

    public ClusterMetrics(CollectorRegistry registry, MetricFactory metrics, ClusterMembership membership, RunMetrics runs)
    {
        _runs = runs;
        var members = metrics.CreateGauge("jarvis_cluster_members", "Cluster members seen by this node, by status (up, unreachable).", "status");
        var up = members.WithLabels("up");
        var unreachable = members.WithLabels("unreachable");
        registry.AddBeforeCollectCallback(() =>
        {
            var view = membership.Current();
            up.Set(view?.MembersUp ?? 0);
            unreachable.Set(view?.Unreachable ?? 0);
        });
        if (membership.CertificateNotAfter is { } notAfter)
            metrics.CreateGauge("jarvis_cluster_tls_certificate_expiry_timestamp_seconds",
                "When this node's cluster TLS certificate (JARVIS_CLUSTER_TLS_CERT) expires, as Unix time: alert well before; " +
                "the other members refuse it from then on.").Set(notAfter.ToUnixTimeSeconds());
        var routed = metrics.CreateCounter("jarvis_runs_routed_total",
            "Executes received by this node's HTTP layer, by the node that owned them: this one (local) or another (remote).", "owner");
        _local = routed.WithLabels("local");
        _remote = routed.WithLabels("remote");
        _ownerLost = metrics.CreateCounter("jarvis_runs_owner_lost_total",
            "Executes this node routed whose owning node became unreachable or left before it answered (answered failed executor_unavailable).");
        _reruns = metrics.CreateCounter("jarvis_runs_rerun_after_owner_lost_total",
            "Executes this node routed for a node_run_id whose earlier execute through this node was answered by, or lost with, " +
            "a node that has since left the cluster: it runs again, since its remembered result left with that node (a lower bound).");
    }

    public void Routed(bool local) => (local ? _local : _remote).Inc();

    public void RerunAfterOwnerLost() => _reruns.Inc();

    public void Unanswered(bool ownerLost)
    {
        if (ownerLost) _ownerLost.Inc();
        else _runs.Refused(Jarvis.Actors.Supervision.RefusalReason.Unavailable);
    }
}
