using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Hosting;
using Jarvis.Actors.Hosting;
using Jarvis.Actors.Registry;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Supervision;
using Jarvis.Api.Contract;
using Jarvis.Api.Observability;

namespace Jarvis.Api.Endpoints;

/// <summary><c>GET /v1/health</c>: the actor system, the node registry, capacity and orphaned handlers.
/// Always 200 with a schema-valid <c>Health</c>: a load balancer reads <c>status</c> (ok / degraded / down). Once the
/// actor system has stopped under the service, <see cref="Hosting.AvailabilityGate"/> answers 503 before this runs.</summary>
public static class HealthApi
{
    public static async Task<IResult> HealthAsync(IRequiredActor<NodeRuns> runs, IRequiredActor<NodeTypes> nodeTypes,
        RunSupervisorSettings settings, OrphanTracker orphans, ClusterMembership cluster, HttpContext http)
    {
        // Both actors are asked at once: a probe answers within one timeout even when both are stuck.
        var loadProbe = AskAsync<Load>(runs.ActorRef, GetLoad.Instance, http.RequestAborted);
        var registryProbe = AskAsync<NodeTypeList>(nodeTypes.ActorRef, ListNodeTypes.Instance, http.RequestAborted);
        var load = await loadProbe;
        var registry = await registryProbe;

        HealthCheck[] checks =
        [
            ActorSystem(load, registry),
            Registry(registry),
            load is null ? new HealthCheck("capacity", "down", "unknown: the run supervisor did not answer") : Capacity(load, settings),
            Orphans(orphans),
            .. cluster.Enabled ? [Cluster(cluster.Current())] : Array.Empty<HealthCheck>(),
        ];
        var status = checks.Any(c => c.Status == "down") ? "down" : checks.Any(c => c.Status == "degraded") ? "degraded" : "ok";
        return TypedResults.Json(new Health(status, WireTimestamp.Of(DateTimeOffset.UtcNow), checks), ContractJson.Default.Health);
    }

    private static HealthCheck ActorSystem(Load? load, NodeTypeList? registry) => (load, registry) switch
    {
        (null, _) => new HealthCheck("actor_system", "down", "the run supervisor did not answer"),
        (_, null) => new HealthCheck("actor_system", "down", "the node registry did not answer"),
        _ => new HealthCheck("actor_system", "ok"),
    };

    private static HealthCheck Registry(NodeTypeList? registry) => registry switch
    {
        null => new HealthCheck("registry", "down", "the node registry did not answer"),
        { Nodes.Count: 0 } => new HealthCheck("registry", "degraded", "no node type is installed", new JsonObject { ["node_types"] = 0 }),
        _ => new HealthCheck("registry", "ok", null, new JsonObject { ["node_types"] = registry.Nodes.Count }),
    };

    /// <summary>Down while draining (new runs are refused). With a concurrency cap, degraded when the next runs are
    /// about to be refused: the queue is at least <see cref="NearFullQueueFraction"/> full or, with no queue, every
    /// slot is busy. Without a cap nothing is ever refused for load, so capacity is ok.</summary>
    public static HealthCheck Capacity(Load load, RunSupervisorSettings settings)
    {
        var details = new JsonObject { ["running"] = load.Running, ["queued"] = load.Queued };
        if (settings.MaxConcurrency is { } cap)
        {
            details["max_concurrency"] = cap;
            details["max_queue"] = settings.MaxQueue;
        }
        if (load.Draining) return new HealthCheck("capacity", "down", "shutting down: new runs are refused", details);
        if (settings.MaxConcurrency is not { } max) return new HealthCheck("capacity", "ok", null, details);
        var nearFull = settings.MaxQueue > 0
            ? load.Queued >= Math.Ceiling(NearFullQueueFraction * settings.MaxQueue)
            : load.Running >= max;
        return nearFull
            ? new HealthCheck("capacity", "degraded", settings.MaxQueue > 0
                ? $"the queue is nearly full ({load.Queued} of {settings.MaxQueue}); new runs may be refused"
                : $"every slot is busy ({load.Running} of {max}) and there is no queue; new runs are refused", details)
            : new HealthCheck("capacity", "ok", null, details);
    }

    public const double NearFullQueueFraction = 0.8;

    /// <summary>Cluster mode: down until this node is an Up member (it cannot own runs before), degraded while any
    /// member is unreachable (runs owned there are answered executor_unavailable until it is downed).</summary>
    private static HealthCheck Cluster(MembershipView? view)
    {
        if (view is null) return new HealthCheck("cluster", "down", "the actor system is not running");
        var details = new JsonObject
        {
            ["self"] = view.Self, ["self_status"] = view.SelfStatus,
            ["members_up"] = view.MembersUp, ["unreachable"] = view.Unreachable, ["remoting"] = view.Remoting,
        };
        if (!view.SelfUp) return new HealthCheck("cluster", "down", $"this node is not an up member of the cluster ({view.SelfStatus})", details);
        return view.Unreachable > 0
            ? new HealthCheck("cluster", "degraded", $"{view.Unreachable} member(s) unreachable; their runs are answered executor_unavailable", details)
            : new HealthCheck("cluster", "ok", null, details);
    }

    private static HealthCheck Orphans(OrphanTracker orphans)
    {
        var orphaned = orphans.Current;
        return new HealthCheck("orphaned_handlers", orphaned > 0 ? "degraded" : "ok",
            orphaned > 0 ? $"{orphaned} abandoned handler(s) ignored cancellation and are still running" : null,
            new JsonObject { ["current"] = orphaned, ["total"] = orphans.Total });
    }

    private static async Task<T?> AskAsync<T>(IActorRef actor, object message, CancellationToken cancellation) where T : class
    {
        try
        {
            return await actor.Ask<T>(message, ServiceInfoApi.ProbeTimeout, cancellation);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }
}
