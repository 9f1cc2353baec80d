using Akka.Actor;
using Jarvis.Actors.Serialization;
using Jarvis.Actors.Supervision;

namespace Jarvis.Actors.Sharding;

/// <summary>An execute routed through the shard region by a <see cref="RunGateway"/>: answered to the gateway as a
/// <see cref="RoutedReply"/> carrying <paramref name="Correlation"/>. <paramref name="AckWanted"/>: the gateway does
/// not know (or no longer trusts) where the run's shard lives, and wants a <see cref="RunHomed"/> from it.</summary>
public sealed record RoutedExecute(Runs.RunRequest Request, long Correlation, bool AckWanted) : IWithNodeRunId, ICrossNodeMessage
{
    public string NodeRunId => Request.NodeRunId;
}

/// <summary>Tells a gateway which node owns the run of <paramref name="Correlation"/>, and which entity (the sender)
/// serves its shard: until told <see cref="ShardMoving"/>, the gateway may send that shard's executes and cancels to the
/// entity directly, past the shard regions.</summary>
public sealed record RunHomed(long Correlation) : ICrossNodeMessage;

/// <summary>A shard entity, handing off, to a gateway that may be sending to it directly: stop, and route through the
/// regions again (they hold the shard's messages until it has a new home). Answered with <see cref="ShardMovingSeen"/>.</summary>
public sealed class ShardMoving : ICrossNodeMessage
{
    public static readonly ShardMoving Instance = new();
    private ShardMoving() { }
}

/// <summary>A gateway to a handing-off shard entity: nothing more comes from it directly (it is sent after the last one).</summary>
public sealed class ShardMovingSeen : ICrossNodeMessage
{
    public static readonly ShardMovingSeen Instance = new();
    private ShardMovingSeen() { }
}

/// <summary>
/// The shard entity of one run shard (<see cref="RunMessageExtractor"/>): it makes every execute and cancel for the
/// node_run_ids of its shard meet on one node, whichever node the caller reached, and hands them to that node's
/// <see cref="RunSupervisor"/>, which keeps each id's state (live run, stored result, early cancel) and its admission
/// limits. It lives as long as its shard stays on this node, so a run costs no entity start, registration and
/// passivation; and the gateways it acknowledged send to it directly, so a run costs no shard region hops either.
/// <para>It holds no state but how many of its executes are still unanswered and which gateways know it. On a
/// hand-off (rebalance, or this node leaving) it tells those gateways to route through the regions again, which hold
/// the shard's messages until it has a new home, and stops once every run it took is answered and every gateway has
/// confirmed that nothing more comes directly (or <see cref="GatewayPatience"/> passed: its node is gone). Until then
/// whatever reaches it is still served here, so a duplicate or cancel never finds its run gone from here and not yet
/// elsewhere.</para>
/// </summary>
public sealed class RunShardEntity : UntypedActor
{
    /// <summary>How long a hand-off waits for a gateway's <see cref="ShardMovingSeen"/>: a reachable node answers
    /// within milliseconds; an unreachable one cannot send anything more either.</summary>
    public static readonly TimeSpan GatewayPatience = TimeSpan.FromSeconds(5);

    private readonly IActorRef _supervisor;
    private readonly HashSet<IActorRef> _gateways = [];
    private int _unanswered;
    private bool _handingOff;
    private ICancelable? _patience;

    public RunShardEntity(IActorRef supervisor) => _supervisor = supervisor;

    public static Props Props(IActorRef supervisor) => Runs.ActorFactory<RunShardEntity>.Props(() => new RunShardEntity(supervisor));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case RoutedExecute routed:
                // The ack first: it then reaches the gateway before any answer can.
                if (routed.AckWanted) Acknowledge(routed.Correlation);
                _supervisor.Tell(new HomedExecute(routed.Request, Sender, routed.Correlation));
                _unanswered++;
                break;
            case CancelRun cancel:
                _supervisor.Forward(cancel);
                break;
            case RunSettled:
                _unanswered--;
                StopIfHandedOff();
                break;
            case HandOffRun:
                BeginHandOff();
                break;
            case ShardMovingSeen:
                _gateways.Remove(Sender);
                StopIfHandedOff();
                break;
            case GatewaysGone:
                _gateways.Clear();
                StopIfHandedOff();
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Acknowledge(long correlation)
    {
        Sender.Tell(new RunHomed(correlation));
        if (!_gateways.Add(Sender) || !_handingOff) return;
        // Acknowledged during a hand-off (an execute that was on its way when it began): told at once.
        Sender.Tell(ShardMoving.Instance);
        WaitForGateways();
    }

    private void BeginHandOff()
    {
        if (_handingOff) return;
        _handingOff = true;
        foreach (var gateway in _gateways) gateway.Tell(ShardMoving.Instance);
        if (_gateways.Count > 0) WaitForGateways();
        StopIfHandedOff();
    }

    private void WaitForGateways()
    {
        _patience?.Cancel();
        _patience = Context.System.Scheduler.ScheduleTellOnceCancelable(GatewayPatience, Self, GatewaysGone.Instance, Self);
    }

    protected override void PostStop() => _patience?.Cancel();

    private void StopIfHandedOff()
    {
        if (_handingOff && _unanswered == 0 && _gateways.Count == 0) Context.Stop(Self);
    }

    private sealed class GatewaysGone : INoSerializationVerificationNeeded
    {
        public static readonly GatewaysGone Instance = new();
    }
}

/// <summary>The shard's hand-off stop message (rebalance, or this node leaving): the entity stops once its runs are answered.</summary>
public sealed class HandOffRun : INoSerializationVerificationNeeded
{
    public static readonly HandOffRun Instance = new();
    private HandOffRun() { }
}
