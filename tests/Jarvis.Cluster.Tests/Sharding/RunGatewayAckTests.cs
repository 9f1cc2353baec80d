using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.TestKit.Xunit2;
using Jarvis.Actors.Sharding;
using Jarvis.Actors.Supervision;
using Jarvis.Cluster.Tests.InProcess;

namespace Jarvis.Cluster.Tests.Sharding;

/// <summary>A routed run costs two messages between nodes once its shard's home is known: the gateway asks the shard's
/// entity for an ack (<see cref="RunHomed"/>) only for a shard whose home it has not learned since the membership last
/// changed. The shard region is a probe here; the gateway runs in a cluster-enabled system that has joined nothing.</summary>
public sealed class RunGatewayAckTests() : TestKit("""
    akka.actor.provider = cluster
    akka.remote.dot-netty.tcp.hostname = 127.0.0.1
    akka.remote.dot-netty.tcp.port = 0
    akka.loglevel = WARNING
    """)
{
    [Fact]
    public void An_execute_asks_for_an_ack_only_while_its_shards_home_is_unknown()
    {
        var region = CreateTestProbe();
        region.IgnoreMessages(message => message is GetClusterShardingStats);
        var gateway = Sys.ActorOf(RunGateway.Props(region, CreateTestProbe(), TimeSpan.FromSeconds(5), RunSupervisorSettings.Default));
        var (first, sameShard) = TwoIdsOfOneShard();

        gateway.Tell(new ExecuteRun(Runs.Echo(first, "first")));
        var routed = region.ExpectMsg<RoutedExecute>();
        Assert.True(routed.AckWanted, "the first execute of a shard did not ask where it runs");
        region.Reply(new RunHomed(routed.Correlation));

        gateway.Tell(new ExecuteRun(Runs.Echo(sameShard, "second")));
        Assert.False(region.ExpectMsg<RoutedExecute>().AckWanted, "an execute of a shard with a known home asked for an ack");

        var otherShard = IdOutside(RunMessageExtractor.ShardOf(first));
        gateway.Tell(new ExecuteRun(Runs.Echo(otherShard, "other")));
        Assert.True(region.ExpectMsg<RoutedExecute>().AckWanted, "an execute of another shard did not ask for an ack");
    }

    [Fact]
    public void An_execute_nobody_acknowledged_is_refused_as_unavailable()
    {
        var region = CreateTestProbe();
        region.IgnoreMessages(message => message is GetClusterShardingStats);
        var gateway = Sys.ActorOf(RunGateway.Props(region, CreateTestProbe(), TimeSpan.FromMilliseconds(300), RunSupervisorSettings.Default));

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
