using Akka.Actor;
using Akka.TestKit.Xunit2;
using Jarvis.Actors.Sharding;
using Jarvis.Actors.Supervision;
using Jarvis.Cluster.Tests.InProcess;

namespace Jarvis.Cluster.Tests.Sharding;

/// <summary>A shard entity that hands off stops only when nothing can reach it any more: every run it took is answered
/// and every gateway that sent to it directly has confirmed it stopped doing so (or its node is gone).</summary>
public sealed class RunShardEntityHandOffTests() : TestKit("akka.loglevel = WARNING")
{
    [Fact]
    public void Hand_off_waits_for_the_runs_in_flight_and_for_each_gateway_to_stop_sending_directly()
    {
        var supervisor = CreateTestProbe();
        var gateway = CreateTestProbe();
        var entity = Sys.ActorOf(RunShardEntity.Props(supervisor), "7");
        Watch(entity);

        gateway.Send(entity, new RoutedExecute(Runs.Echo(Runs.NewId(), "in flight"), 1, AckWanted: true));
        gateway.ExpectMsg<RunHomed>();
        supervisor.ExpectMsg<HomedExecute>();

        entity.Tell(HandOffRun.Instance);
        gateway.ExpectMsg<ShardMoving>();
        // An execute the gateway sent before it heard of the hand-off is still served here.
        gateway.Send(entity, new RoutedExecute(Runs.Echo(Runs.NewId(), "on its way"), 2, AckWanted: false));
        supervisor.ExpectMsg<HomedExecute>();

        entity.Tell(RunSettled.Instance);
        entity.Tell(RunSettled.Instance);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // not Terminated: the gateway has not confirmed yet

        gateway.Send(entity, ShardMovingSeen.Instance);
        ExpectTerminated(entity);
    }

    [Fact]
    public void Hand_off_waits_for_a_run_in_flight_after_the_gateway_confirmed()
    {
        var supervisor = CreateTestProbe();
        var gateway = CreateTestProbe();
        var entity = Sys.ActorOf(RunShardEntity.Props(supervisor), "8");
        Watch(entity);
        gateway.Send(entity, new RoutedExecute(Runs.Echo(Runs.NewId(), "long"), 1, AckWanted: true));
        gateway.ExpectMsg<RunHomed>();

        entity.Tell(HandOffRun.Instance);
        gateway.ExpectMsg<ShardMoving>();
        gateway.Send(entity, ShardMovingSeen.Instance);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        entity.Tell(RunSettled.Instance);
        ExpectTerminated(entity);
    }

    [Fact]
    public void A_gateway_that_never_confirms_is_given_up_after_the_patience()
    {
        var gateway = CreateTestProbe();
        var entity = Sys.ActorOf(RunShardEntity.Props(CreateTestProbe()), "9");
        Watch(entity);
        gateway.Send(entity, new RoutedExecute(Runs.Echo(Runs.NewId(), "x"), 1, AckWanted: true));
        gateway.ExpectMsg<RunHomed>();
        entity.Tell(RunSettled.Instance);

        entity.Tell(HandOffRun.Instance);
        gateway.ExpectMsg<ShardMoving>();
        ExpectTerminated(entity, RunShardEntity.GatewayPatience + TimeSpan.FromSeconds(5));
    }
}
