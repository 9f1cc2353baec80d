using Akka.Actor;
using Akka.Cluster.Sharding;
using Jarvis.Actors.Serialization;
using Jarvis.Actors.Supervision;

namespace Jarvis.Actors.Sharding;

/// <summary>An execute routed through the shard region by a <see cref="RunGateway"/>: answered to the gateway as a
/// <see cref="RoutedReply"/> carrying <paramref name="Correlation"/>.</summary>
public sealed record RoutedExecute(Runs.RunRequest Request, long Correlation) : IWithNodeRunId, ICrossNodeMessage
{
    public string NodeRunId => Request.NodeRunId;
}

/// <summary>Tells a gateway which node owns the run of <paramref name="Correlation"/> (the sender's address), so
/// that it can answer its caller at once if that node is lost.</summary>
public sealed record RunHomed(long Correlation) : ICrossNodeMessage;

/// <summary>
/// The shard entity of one node_run_id: it makes every execute and cancel for that id meet on one node, whichever
/// node the caller reached, and hands them to that node's <see cref="RunSupervisor"/>, which keeps the id's state
/// (live run, stored result, early cancel) and its admission limits. The entity holds no state of its own but
/// how many of its executes are still unanswered: while any is, it does not let a rebalance move it, so a later
/// duplicate or cancel still meets the run; once all are answered it passivates.
/// </summary>
public sealed class RunEntity : UntypedActor
{
    private readonly IActorRef _supervisor;
    private int _unanswered;
    private bool _handingOff;

    public RunEntity(IActorRef supervisor) => _supervisor = supervisor;

    public static Props Props(IActorRef supervisor) => Runs.ActorFactory<RunEntity>.Props(() => new RunEntity(supervisor));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case RoutedExecute routed:
                // The ack first: it then reaches the gateway before any answer can.
                Sender.Tell(new RunHomed(routed.Correlation));
                _supervisor.Tell(new HomedExecute(routed.Request, Sender, routed.Correlation));
                _unanswered++;
                break;
            case CancelRun cancel:
                _supervisor.Forward(cancel);
                LeaveWhenIdle();
                break;
            case RunSettled:
                _unanswered--;
                LeaveWhenIdle();
                break;
            case HandOffRun:
                _handingOff = true;
                LeaveWhenIdle();
                break;
            case StopRunEntity:
                Context.Stop(Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void LeaveWhenIdle()
    {
        if (_unanswered > 0) return;
        if (_handingOff) Context.Stop(Self);
        else Context.Parent.Tell(new Passivate(StopRunEntity.Instance));
    }
}

/// <summary>The shard's hand-off stop message (rebalance, or this node leaving): the entity stops once its runs are answered.</summary>
public sealed class HandOffRun : INoSerializationVerificationNeeded
{
    public static readonly HandOffRun Instance = new();
    private HandOffRun() { }
}

/// <summary>The entity's passivation stop message.</summary>
public sealed class StopRunEntity : INoSerializationVerificationNeeded
{
    public static readonly StopRunEntity Instance = new();
    private StopRunEntity() { }
}
