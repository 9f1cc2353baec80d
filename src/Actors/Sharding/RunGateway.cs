using Akka.Actor;
using Akka.Cluster;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Serialization;
using Jarvis.Actors.Supervision;

namespace Jarvis.Actors.Sharding;

/// <summary>A run's answer on its way back to the gateway that routed the execute.</summary>
public sealed record RoutedReply(long Correlation, ExecuteReply Reply) : ICrossNodeMessage;

/// <summary>A cancel's answer when the node owning its run is unreachable: it cannot be delivered now.</summary>
public sealed class OwnerUnreachableException(string message) : Exception(message);

/// <summary>Hears where this node's executes were run (on this node, or forwarded to another) and which of them
/// got no answer from their node. Called on the gateway's thread: keep it cheap.</summary>
public interface IRunRouteObserver
{
    void Routed(bool local);

    /// <param name="ownerLost">True: its node was lost while it ran; false: no node took it in time.</param>
    void Unanswered(bool ownerLost);

    /// <summary>An execute of an id whose earlier execute through this node was answered by (or lost with) a node
    /// that has since left the cluster: it runs again (<see cref="LostOwnerMemory"/>).</summary>
    void RerunAfterOwnerLost();
}

/// <summary>
/// Cluster mode's <c>NodeRuns</c>: takes the HTTP layer's executes and cancels on this node and routes them through
/// the shard region to the node that owns their node_run_id. It keeps every execute it routed until its answer
/// comes back, and learns from the entity's ack which node owns it, so that when that node becomes unreachable or
/// leaves, its callers are answered at once with a retryable <c>executor_unavailable</c> failure instead of
/// waiting for an answer that will never come. Which node that is, it learns once per shard and membership
/// (<see cref="ShardHomes"/>): an execute for a shard whose home it knows is sent without asking for an ack, so a
/// routed run costs two messages between nodes, the execute and its answer. An execute that asked for an ack and got
/// none within the ack timeout (no shard home reachable) is refused as unavailable. Load and drain requests go to this
/// node's supervisor.
/// </summary>
public sealed class RunGateway : UntypedActor
{
    public const string UnavailableCode = RunErrorCodes.ExecutorUnavailable;

    private readonly IActorRef _region;
    private readonly IActorRef _supervisor;
    private readonly TimeSpan _ackTimeout;
    private readonly RunSupervisorSettings _runs;
    private readonly IRunRouteObserver? _observer;
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly Dictionary<long, Pending> _pending = new();
    private readonly LostOwnerMemory _answeredBy;
    private readonly ShardHomes _homes = new();
    private ICancelable? _ackCheck;
    private ICancelable? _census;

    /// <summary>How often the gateway takes the census of shard homes (<see cref="ShardHomes"/>).</summary>
    private static readonly TimeSpan CensusEvery = TimeSpan.FromSeconds(2);
    private long _lastCorrelation;

    /// <param name="runs">The run settings every node shares: they bound how long an answer may take.</param>
    public RunGateway(IActorRef region, IActorRef supervisor, TimeSpan ackTimeout, RunSupervisorSettings runs, IRunRouteObserver? observer)
    {
        _region = region;
        _supervisor = supervisor;
        _ackTimeout = ackTimeout;
        _runs = runs;
        _observer = observer;
        _answeredBy = new LostOwnerMemory(runs.ResultTtl);
    }

    public static Props Props(IActorRef region, IActorRef supervisor, TimeSpan ackTimeout, RunSupervisorSettings runs,
        IRunRouteObserver? observer = null) =>
        ActorFactory<RunGateway>.Props(() => new RunGateway(region, supervisor, ackTimeout, runs, observer));

    protected override void PreStart()
    {
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.ReachableMember), typeof(ClusterEvent.MemberUp),
            typeof(ClusterEvent.MemberLeft), typeof(ClusterEvent.MemberExited), typeof(ClusterEvent.MemberRemoved));
        var every = TimeSpan.FromMilliseconds(Math.Max(100, _ackTimeout.TotalMilliseconds / 4));
        _ackCheck = Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(every, every, Self, CheckAcks.Instance, Self);
        _census = Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(CensusEvery, CensusEvery, _region,
            new Akka.Cluster.Sharding.GetClusterShardingStats(CensusEvery), Self);
    }

    protected override void PostStop()
    {
        _ackCheck?.Cancel();
        _census?.Cancel();
        _cluster.Unsubscribe(Self);
        foreach (var pending in _pending.Values)
            pending.Caller.Tell(new RunRefused(RefusalReason.Unavailable, "the executor stopped before the run's node answered; retry the request"));
        _pending.Clear();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ExecuteRun execute:
                Route(execute.Request);
                break;
            case RunHomed homed:
                OnHomed(homed.Correlation, Sender.Path.Address);
                break;
            case RoutedReply reply:
                if (_pending.Remove(reply.Correlation, out var answered)) OnAnswered(answered, reply.Reply);
                break;
            case CancelRun cancel when _homes.UnreachableHomeOf(RunMessageExtractor.ShardOf(cancel.NodeRunId)) is { } home:
                Sender.Tell(new Status.Failure(new OwnerUnreachableException(OwnerUnreachable(home))));
                break;
            case CancelRun cancel:
                _region.Forward(cancel);
                break;
            case ClusterEvent.UnreachableMember unreachable:
                _homes.Unreachable(unreachable.Member.Address);
                AnswerRunsOf(unreachable.Member.Address, "became unreachable");
                break;
            case ClusterEvent.ReachableMember reachable:
                _homes.Reachable(reachable.Member.Address);
                break;
            case ClusterEvent.MemberUp or ClusterEvent.MemberLeft or ClusterEvent.MemberExited:
                _homes.MembershipChanged();
                break;
            case ClusterEvent.MemberRemoved removed:
                _homes.Removed(removed.Member.Address);
                AnswerRunsOf(removed.Member.Address, "left the cluster");
                _answeredBy.OwnerLost(removed.Member.Address);
                break;
            case Akka.Cluster.Sharding.ClusterShardingStats census:
                _homes.Learn(census, _cluster.SelfAddress);
                break;
            case CheckAcks:
                RefuseUnacknowledged();
                break;
            case GetLoad or BeginDrain:
                _supervisor.Forward(message);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Route(RunRequest request)
    {
        var shard = RunMessageExtractor.ShardOf(request.NodeRunId);
        if (_homes.UnreachableHomeOf(shard) is { } unreachable)
        {
            Sender.Tell(new RunRefused(RefusalReason.Unavailable, OwnerUnreachable(unreachable)));
            _observer?.Unanswered(ownerLost: false);
            return;
        }
        var correlation = ++_lastCorrelation;
        var now = DateTimeOffset.UtcNow;
        // Past this, the owner would have answered (queue wait + deadline) unless the answer was lost.
        var giveUpAt = now + _runs.QueueTimeout + _runs.DeadlineFor(request.MaxWallTime) + _ackTimeout;
        var home = _homes.ConfirmedHomeOf(shard);
        _pending[correlation] = new Pending(Sender, request.NodeRunId, shard, now, giveUpAt) { Owner = home };
        if (home is not null) _observer?.Routed(local: home == _cluster.SelfAddress);
        if (_answeredBy.TakeRerun(request.NodeRunId, now)) _observer?.RerunAfterOwnerLost();
        _region.Tell(new RoutedExecute(request, correlation, AckWanted: home is null));
    }

    private static string OwnerUnreachable(Address home) =>
        $"the executor node owning this run's id ({home}) is unreachable; retry the request (another instance may reach it, " +
        "or it is replaced once the cluster downs it)";

    private void OnHomed(long correlation, Address owner)
    {
        if (!_pending.TryGetValue(correlation, out var pending)) return; // answered already
        var local = owner.HasLocalScope || owner == _cluster.SelfAddress;
        pending.Owner = local ? _cluster.SelfAddress : owner;
        _homes.Homed(pending.Shard, pending.Owner);
        _observer?.Routed(local);
        if (!local && IsUnreachable(owner)) AnswerRunsOf(owner, "is unreachable");
    }

    private void OnAnswered(Pending pending, ExecuteReply reply)
    {
        pending.Caller.Tell(reply);
        // A result its node remembers: a duplicate replays it, unless that node is lost by then.
        if (reply is RunAnswered { Result.IsRetryable: false } && pending.Owner is { } owner && owner != _cluster.SelfAddress)
            _answeredBy.Record(pending.NodeRunId, owner, DateTimeOffset.UtcNow);
    }

    private bool IsUnreachable(Address address) => _cluster.State.Unreachable.Any(m => m.Address == address);

    private void AnswerRunsOf(Address node, string what)
    {
        if (node == _cluster.SelfAddress) return;
        List<long>? lost = null;
        foreach (var (correlation, pending) in _pending)
            if (pending.Owner == node) (lost ??= []).Add(correlation);
        if (lost is null) return;
        foreach (var correlation in lost)
        {
            _pending.Remove(correlation, out var pending);
            var result = RunResult.Failed(pending!.NodeRunId, pending.SentAt, new RunError(UnavailableCode,
                $"the executor node running this run {what} before it answered; retry the request", Retryable: true));
            pending.Caller.Tell(new RunAnswered(result));
            _observer?.Unanswered(ownerLost: true);
            _answeredBy.Record(pending.NodeRunId, node, DateTimeOffset.UtcNow); // it may have finished there
        }
    }

    /// <summary>Refuses executes no node took within the ack timeout, and those whose answer never came (lost on the
    /// way, e.g. too large to cross), so that nothing waits here for ever.</summary>
    private void RefuseUnacknowledged()
    {
        var now = DateTimeOffset.UtcNow;
        var overdue = now - _ackTimeout;
        List<long>? late = null;
        foreach (var (correlation, pending) in _pending)
            if ((pending.Owner is null && pending.SentAt < overdue) || pending.GiveUpAt < now) (late ??= []).Add(correlation);
        if (late is null) return;
        foreach (var correlation in late)
        {
            _pending.Remove(correlation, out var pending);
            pending!.Caller.Tell(new RunRefused(RefusalReason.Unavailable, pending.Owner is null
                ? $"no executor node took the run within {_ackTimeout.TotalSeconds:0.#} s (the cluster is changing); retry the request"
                : "the run's answer did not come back from its executor node; retry the request"));
            _observer?.Unanswered(ownerLost: false);
        }
    }

    private sealed class Pending(IActorRef caller, string nodeRunId, string shard, DateTimeOffset sentAt, DateTimeOffset giveUpAt)
    {
        public IActorRef Caller { get; } = caller;
        public string NodeRunId { get; } = nodeRunId;
        public string Shard { get; } = shard;
        public DateTimeOffset SentAt { get; } = sentAt;
        public DateTimeOffset GiveUpAt { get; } = giveUpAt;
        public Address? Owner { get; set; }
    }

    private sealed class CheckAcks : INoSerializationVerificationNeeded
    {
        public static readonly CheckAcks Instance = new();
    }
}
