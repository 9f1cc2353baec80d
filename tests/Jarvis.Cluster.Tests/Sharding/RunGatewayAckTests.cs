using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.TestKit.Xunit2;
using Jarvis.Actors.Sharding;
using Jarvis.Actors.Supervision;
using Jarvis.Cluster.Tests.InProcess;

namespace Jarvis.Cluster.Tests.Sharding;

/// <summary>A routed run costs two messages between nodes once its shard's home is known: the gateway asks the shard's
/// entity for an ack (<see cref="RunHomed"/>) only for a shard whose home it has not learned since the membership last
/// changed, and then sends to that entity directly, until the entity hands off. The shard region and the entity are
/// probes here; the gateway runs in a cluster-enabled system that has joined nothing.</summary>
public sealed class RunGatewayAckTests() : TestKit("""
    akka.actor.provider = cluster
    akka.remote.dot-netty.tcp.hostname = 127.0.0.1
    akka.remote.dot-netty.tcp.port = 0
    akka.loglevel = WARNING
    """)
{
    [Fact]
    public void Once_a_shards_entity_acknowledged_the_gateway_sends_to_it_directly_without_asking_again()
    {
        var (region, gateway) = Gateway();
        var (first, sameShard) = TwoIdsOfOneShard();
        var entity = CreateTestProbe(RunMessageExtractor.ShardOf(first));

        gateway.Tell(new ExecuteRun(Runs.Echo(first, "first")));
        var routed = region.ExpectMsg<RoutedExecute>();
        Assert.True(routed.AckWanted, "the first execute of a shard did not ask where it runs");
        entity.Send(gateway, new RunHomed(routed.Correlation));

        gateway.Tell(new ExecuteRun(Runs.Echo(sameShard, "second")));
        Assert.False(entity.ExpectMsg<RoutedExecute>().AckWanted, "an execute sent to a known entity asked for an ack");
        gateway.Tell(new CancelRun(first));
        entity.ExpectMsg<CancelRun>();
        region.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        var otherShard = IdOutside(RunMessageExtractor.ShardOf(first));
        gateway.Tell(new ExecuteRun(Runs.Echo(otherShard, "other")));
        Assert.True(region.ExpectMsg<RoutedExecute>().AckWanted, "an execute of another shard did not ask for an ack");
    }

    [Fact]
    public void A_shard_entity_that_hands_off_is_confirmed_last_and_then_reached_through_the_region_only()
    {
        var (region, gateway) = Gateway();
        var (first, sameShard) = TwoIdsOfOneShard();
        var entity = CreateTestProbe(RunMessageExtractor.ShardOf(first));
        gateway.Tell(new ExecuteRun(Runs.Echo(first, "first")));
        entity.Send(gateway, new RunHomed(region.ExpectMsg<RoutedExecute>().Correlation));

        entity.Send(gateway, ShardMoving.Instance);
        entity.ExpectMsg<ShardMovingSeen>();

        gateway.Tell(new ExecuteRun(Runs.Echo(sameShard, "after the hand-off")));
        Assert.True(region.ExpectMsg<RoutedExecute>().AckWanted, "an execute after the hand-off did not go through the region");
        entity.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    private (Akka.TestKit.TestProbe Region, IActorRef Gateway) Gateway(TimeSpan? ackTimeout = null)
    {
        var region = CreateTestProbe();
        region.IgnoreMessages(message => message is GetClusterShardingStats);
        var gateway = Sys.ActorOf(RunGateway.Props(region, CreateTestProbe(), ackTimeout ?? TimeSpan.FromSeconds(5), RunSupervisorSettings.Default));
        return (region, gateway);
    }

    [Fact]
    public void An_execute_nobody_acknowledged_is_refused_as_unavailable()
    {
        var (region, gateway) = Gateway(TimeSpan.FromMilliseconds(300));

        gateway.Tell(new ExecuteRun(Runs.Echo(Runs.NewId(), "lost")));
        region.ExpectMsg<RoutedExecute>();

        var refused = ExpectMsg<RunRefused>(TimeSpan.FromSeconds(5));
        Assert.Equal(RefusalReason.Unavailable, refused.Reason);
    }

    private static (string, string) TwoIdsOfOneShard()
    {
        var first = Runs.NewId();
        var shard = RunMessageExtractor.ShardOf(first);
        while (true)
        {
            var candidate = Runs.NewId();
            if (RunMessageExtractor.ShardOf(candidate) == shard) return (first, candidate);
        }
    }

    private static string IdOutside(string shard)
    {
        while (true)
        {
            var candidate = Runs.NewId();
            if (RunMessageExtractor.ShardOf(candidate) != shard) return candidate;
        }
    }
}
