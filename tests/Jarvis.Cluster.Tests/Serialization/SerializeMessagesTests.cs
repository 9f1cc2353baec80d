using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.TestKit;
using Jarvis.Actors.Registry;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Sharding;
using Jarvis.Actors.Supervision;
using Jarvis.NodePacks.Core;
using Runs = Jarvis.Cluster.Tests.InProcess.Runs;

namespace Jarvis.Cluster.Tests.Serialization;

/// <summary>
/// A run supervisor with <c>serialize-messages = on</c>: every message between actors is serialized and the copy
/// delivered, so each message of the run protocol must either have the executor's serializer or be marked as never
/// leaving its node. (A whole cluster cannot run like this on Akka.NET 1.5.73: its own distributed-data and singleton
/// messages fail the fallback serializer. The cluster tests run with strict serialization instead.)
/// </summary>
public sealed class SerializeMessagesTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private const string Config = """
        akka.loglevel = WARNING
        akka.log-dead-letters = off
        akka.actor.serialize-messages = on
        akka.actor.serializers {
          jarvis-runs = "Jarvis.Actors.Serialization.RunMessageSerializer, Jarvis.Actors"
          fallback-tripwire = "Jarvis.Cluster.Tests.Serialization.FallbackTripwire, Jarvis.Cluster.Tests"
        }
        akka.actor.serialization-bindings {
          "System.Object" = fallback-tripwire
          "Jarvis.Actors.Serialization.ICrossNodeMessage, Jarvis.Actors" = jarvis-runs
        }
        """;

    private readonly IActorRef _supervisor;

    public SerializeMessagesTests(ITestOutputHelper output) : base(Config, output: output)
    {
        FallbackTripwire.Violations.Clear();
        var catalog = NodeCatalog.Build([new CoreNodePack()], new OrphanTracker());
        var registry = Sys.ActorOf(NodeRegistryActor.Props(catalog));
        _supervisor = Sys.ActorOf(RunSupervisor.Props(RunSupervisorSettings.Default, registry));
    }

    [Fact]
    public void Every_path_of_a_run_passes_with_every_message_serialized()
    {
        Assert.Equal(RunState.Succeeded, Execute(Runs.Echo("e1", "hi")).State);
        Assert.Equal(RunState.Succeeded, Execute(Runs.Echo("e1", "hi")).State); // replay
        Assert.IsType<RunRefused>(ExecuteReply(Runs.Echo("e1", "other"))); // conflict

        var sleeper = CreateTestProbe();
        _supervisor.Tell(new ExecuteRun(Runs.Sleep("s1", 30)), sleeper);
        AwaitCondition(() => Load().Running == 1, Patience);
        Cancel("s1");
        Assert.Equal(RunState.Canceled, sleeper.ExpectMsg<RunAnswered>(Patience).Result.State);

        Cancel("early");
        Assert.Equal(RunState.Canceled, Execute(Runs.Sleep("early", 30)).State);

        var shortBudget = Runs.Sleep("t1", 30) with { MaxWallTime = TimeSpan.FromMilliseconds(200) };
        Assert.Equal(RunErrorCodes.Timeout, Execute(shortBudget).Error!.Code);
        Assert.Equal(RunErrorCodes.InvalidInputs, Execute(Runs.Echo("bad", "x") with { Inputs = new JsonObject { ["echo"] = 1 } }).Error!.Code);
        Assert.Equal(RunErrorCodes.UnknownNodeType, Execute(Runs.Echo("u1", "x") with { NodeTypeId = "no.such.node" }).Error!.Code);

        // Cluster mode's hand-over by a shard entity: answered with the gateway's correlation, the entity told.
        var (gateway, entity) = (CreateTestProbe(), CreateTestProbe());
        _supervisor.Tell(new HomedExecute(Runs.Echo("h1", "homed"), gateway, 5), entity);
        var routed = gateway.ExpectMsg<RoutedReply>(Patience);
        Assert.Equal(5, routed.Correlation);
        Assert.Equal(RunState.Succeeded, Assert.IsType<RunAnswered>(routed.Reply).Result.State);
        entity.ExpectMsg<RunSettled>(Patience);

        _supervisor.Tell(new BeginDrain(TimeSpan.FromSeconds(1)), TestActor);
        ExpectMsg<Drained>(Patience);

        Assert.True(FallbackTripwire.Violations.IsEmpty,
            $"messages without a serializer of the executor's: {string.Join(", ", FallbackTripwire.Violations.Distinct())}");
    }

    private RunResult Execute(RunRequest request) => Assert.IsType<RunAnswered>(ExecuteReply(request)).Result;

    private ExecuteReply ExecuteReply(RunRequest request)
    {
        var caller = CreateTestProbe();
        _supervisor.Tell(new ExecuteRun(request), caller);
        return caller.ExpectMsg<ExecuteReply>(Patience);
    }

    private void Cancel(string id)
    {
        var caller = CreateTestProbe();
        _supervisor.Tell(new CancelRun(id), caller);
        caller.ExpectMsg<CancelAccepted>(Patience);
    }

    private Load Load()
    {
        var asker = CreateTestProbe();
        _supervisor.Tell(GetLoad.Instance, asker);
        return asker.ExpectMsg<Load>(Patience);
    }
}
