using Jarvis.Actors.Sharding;
using Prometheus;

namespace Jarvis.Api.Observability;

/// <summary>Cluster mode's metrics: members by status (read at scrape time) and where this node's executes ran.</summary>
public sealed class ClusterMetrics : IRunRouteObserver
{
    private readonly Counter.Child _local, _remote, _ownerLost, _notTaken;

    public ClusterMetrics(CollectorRegistry registry, MetricFactory metrics, ClusterMembership membership)
    {
        var members = metrics.CreateGauge("jarvis_cluster_members", "Cluster members seen by this node, by status (up, unreachable).", "status");
        var up = members.WithLabels("up");
        var unreachable = members.WithLabels("unreachable");
        registry.AddBeforeCollectCallback(() =>
        {
            var view = membership.Current();
            up.Set(view?.MembersUp ?? 0);
            unreachable.Set(view?.Unreachable ?? 0);
        });
        var routed = metrics.CreateCounter("jarvis_runs_routed_total",
            "Executes received by this node's HTTP layer, by the node that owned them: this one (local) or another (remote).", "owner");
        _local = routed.WithLabels("local");
        _remote = routed.WithLabels("remote");
        var unanswered = metrics.CreateCounter("jarvis_runs_unanswered_total",
            "Executes this node routed that got no answer from their node: owner_lost (failed executor_unavailable, " +
            "its node became unreachable or left) or not_taken (503 executor_unavailable, no node took it in time).", "reason");
        _ownerLost = unanswered.WithLabels("owner_lost");
        _notTaken = unanswered.WithLabels("not_taken");
    }

    public void Routed(bool local) => (local ? _local : _remote).Inc();

    public void Unanswered(bool ownerLost) => (ownerLost ? _ownerLost : _notTaken).Inc();
}
