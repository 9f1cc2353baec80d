using Jarvis.Actors.Registry;
using Jarvis.Actors.Supervision;
using Jarvis.Actors.Tests.Support;
using Xunit.Abstractions;

namespace Jarvis.Actors.Tests.Registry;

/// <summary>The registry is asked once per node type; later runs of that type start with what it answered.</summary>
public sealed class NodeTypeResolutionTests(ITestOutputHelper output) : RunSupervisorTestKit(output)
{
    [Fact]
    public void The_registry_is_asked_for_the_first_run_of_a_node_type_only()
    {
        var catalog = NodeCatalog.Build([Nodes.Pack], Orphans);
        var registry = CreateTestProbe();
        var supervisor = Sys.ActorOf(RunSupervisor.Props(Settings(), registry.Ref));

        var first = Execute(supervisor, Requests.For("first", TestNodes.Instant, value: "first"));
        var ask = registry.ExpectMsg<ResolveNodeType>(Patience);
        Assert.Equal(TestNodes.Instant, ask.NodeTypeId);
        Assert.True(catalog.TryGet(TestNodes.Instant, out var registration));
        registry.Reply(new NodeTypeResolved(registration));
        AssertSucceeded(ExpectAnswer(first), "first");

        AssertSucceeded(ExpectAnswer(Execute(supervisor, Requests.For("second", TestNodes.Instant, value: "second"))), "second");

        Assert.False(registry.HasMessages, "the second run of the same node type asked the registry again");
    }

    [Fact]
    public void An_unknown_node_type_is_asked_again_every_time()
    {
        var registry = CreateTestProbe();
        var supervisor = Sys.ActorOf(RunSupervisor.Props(Settings(), registry.Ref));

        foreach (var id in new[] { "one", "two" })
        {
            var caller = Execute(supervisor, Requests.For(id, "not.installed"));
            registry.ExpectMsg<ResolveNodeType>(Patience);
            registry.Reply(new NodeTypeUnknown("not.installed"));
            AssertFailed(ExpectAnswer(caller), Jarvis.Actors.Runs.RunErrorCodes.UnknownNodeType);
        }
    }
}
