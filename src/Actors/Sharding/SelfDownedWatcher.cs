using Akka.Actor;
using Akka.Cluster;

namespace Jarvis.Actors.Sharding;

/// <summary>
/// Cluster mode: tells <c>onDowned</c> the moment this node sees itself marked Down (the split-brain resolver on
/// the minority side of a partition, or an operator). The cluster runs CoordinatedShutdown for that too, but only
/// once the Down status has spread, about a second later; meanwhile the majority may already be handing this node's
/// shards to others, so its runs must stop and its callers be answered now, not then.
/// </summary>
public sealed class SelfDownedWatcher : UntypedActor
{
    private readonly Action<string> _onDowned;
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private bool _told;

    public SelfDownedWatcher(Action<string> onDowned) => _onDowned = onDowned;

    public static Props Props(Action<string> onDowned) =>
        Runs.ActorFactory<SelfDownedWatcher>.Props(() => new SelfDownedWatcher(onDowned));

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.MemberDowned), typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ClusterEvent.MemberDowned downed when downed.Member.UniqueAddress == _cluster.SelfUniqueAddress:
                Tell("the cluster downed this node");
                break;
            case ClusterEvent.MemberRemoved { PreviousStatus: MemberStatus.Down } removed
                when removed.Member.UniqueAddress == _cluster.SelfUniqueAddress:
                Tell("the cluster downed this node");
                break;
            case ClusterEvent.IMemberEvent:
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Tell(string reason)
    {
        if (_told) return;
        _told = true;
        _onDowned(reason);
    }
}
