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

/// <summary>Tells a gateway which node owns the run of <paramref name="Correlation"/> (the sender's address), so
/// that it can answer its caller at once if that node is lost.</summary>
public sealed record RunHomed(long Correlation) : ICrossNodeMessage;

/// <summary>
/// The shard entity of one run shard (<see cref="RunMessageExtractor"/>): it makes every execute and cancel for the
/// node_run_ids of its shard meet on one node, whichever node the caller reached, and hands them to that node's
/// <see cref="RunSupervisor"/>, which keeps each id's state (live run, stored result, early cancel) and its admission
/// limits. It lives as long as its shard stays on this node, so a run costs no entity start, registration and
/// passivation. It holds no state but how many of its executes are still unanswered: on a hand-off (rebalance, or
/// this node leaving) it stops only once all are answered, so a later duplicate or cancel, which the regions hold
/// back until the shard has a new home, never finds its run gone from here and not yet elsewhere.
/// </summary>
public sealed class RunShardEntity : UntypedActor
{
    private readonly IActorRef _supervisor;
    private int _unanswered;
    private bool _handingOff;

    public RunShardEntity(IActorRef supervisor) => _supervisor = supervisor;

    public static Props Props(IActorRef supervisor) => Runs.ActorFactory<RunShardEntity>.Props(() => new RunShardEntity(supervisor));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case RoutedExecute routed:
                // The ack first: it then reaches the gateway before any answer can.
                if (routed.AckWanted) Sender.Tell(new RunHomed(routed.Correlation));
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
                _handingOff = true;
                StopIfHandedOff();
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void StopIfHandedOff()
    {
        if (_handingOff && _unanswered == 0) Context.Stop(Self);
    }
}

/// <summary>The shard's hand-off stop message (rebalance, or this node leaving): the entity stops once its runs are answered.</summary>
public sealed class HandOffRun : INoSerializationVerificationNeeded
{
    public static readonly HandOffRun Instance = new();
    private HandOffRun() { }
}
