using Akka.Actor;
using Jarvis.Actors.Sharding;

namespace Jarvis.Actors.Supervision;

/// <summary>Who gets one execute's answer. A caller on this node is answered as it is; a cluster gateway
/// (<paramref name="Correlation"/> ≠ 0) gets the answer wrapped with its correlation, so it can tell its callers
/// apart; the run's shard entity (<paramref name="Home"/>) hears that the answer went out.</summary>
public readonly record struct RunWaiter(IActorRef ReplyTo, long Correlation = 0, IActorRef? Home = null)
{
    public void Answer(ExecuteReply reply)
    {
        ReplyTo.Tell(Correlation == 0 ? reply : new RoutedReply(Correlation, reply));
        Home?.Tell(RunSettled.Instance);
    }
}
