using Jarvis.Actors.Runs;
using Jarvis.Actors.Sharding;
using Jarvis.Actors.Supervision;

namespace Jarvis.Cluster.Tests.InProcess;

/// <summary>Three nodes in one cluster: whichever node a caller reaches, execute, join, replay, conflict and cancel
/// for one node_run_id behave as on a single node, because they all meet on the node owning that id.</summary>
public sealed class ClusterRoutingTests(ThreeNodeCluster fixture) : IClassFixture<ThreeNodeCluster>
{
    private InProcessCluster _cluster => fixture.Cluster;

    private ClusterNode A => _cluster.Nodes[0];
    private ClusterNode B => _cluster.Nodes[1];
    private ClusterNode C => _cluster.Nodes[2];

    [Fact]
    public async Task Executes_through_every_node_succeed_and_are_spread_over_the_nodes()
    {
        var before = _cluster.Nodes.Select(n => (n.Routes.Local, n.Routes.Remote)).ToArray();
        var ids = Enumerable.Range(0, 150).Select(_ => Runs.NewId()).ToArray();
        var replies = await Task.WhenAll(ids.Select((id, i) => _cluster.Nodes[i % 3].ExecuteAsync(Runs.Echo(id, $"hello {i}"))));

        for (var i = 0; i < ids.Length; i++)
        {
            var result = Runs.Answered(replies[i]);
            Assert.Equal(RunState.Succeeded, result.State);
            Assert.Equal(ids[i], result.NodeRunId);
            Assert.Equal($"hello {i}", result.Outputs!.Parse()["echo"]!.GetValue<string>());
        }
        // Each node ran some of its own callers' runs and forwarded others (50 ids each over 100 shards on 3 nodes).
        for (var n = 0; n < 3; n++)
        {
            Assert.True(_cluster.Nodes[n].Routes.Local > before[n].Local, $"node {n} ran none of its callers' runs");
            Assert.True(_cluster.Nodes[n].Routes.Remote > before[n].Remote, $"node {n} forwarded none of its callers' runs");
        }
    }

    [Fact]
    public async Task A_shard_has_one_entity_named_by_the_shard_and_it_outlives_the_runs_it_served()
    {
        var ids = Enumerable.Range(0, 40).Select(_ => Runs.NewId()).ToArray();
        var replies = await Task.WhenAll(ids.Select((id, i) => _cluster.Nodes[i % 3].ExecuteAsync(Runs.Echo(id, "e"))));
        Assert.All(replies, reply => Assert.Equal(RunState.Succeeded, Runs.Answered(reply).State));

        var shardsByNode = await Task.WhenAll(_cluster.Nodes.Select(n => n.ShardsAsync()));
        foreach (var shard in ids.Select(RunMessageExtractor.ShardOf).Distinct())
        {
            var entities = Assert.Single(shardsByNode.Where(s => s.ContainsKey(shard)).Select(s => s[shard]));
            Assert.Equal([shard], entities.Order());
        }
    }

    [Fact]
    public async Task Duplicate_through_another_node_joins_the_run_and_cancel_through_a_third_cancels_it()
    {
        var id = Runs.NewId();
        var first = A.ExecuteAsync(Runs.Sleep(id, 60));
        await _cluster.RunningOnAsync();
        var duplicate = B.ExecuteAsync(Runs.Sleep(id, 60));
        await AssertStillOneRunningAsync();

        await C.CancelAsync(id);

        var answers = new[]
        {
            await Runs.AnsweredWithin(first, InProcessCluster.Patience, "the first execute"),
            await Runs.AnsweredWithin(duplicate, InProcessCluster.Patience, "the duplicate"),
        };
        Assert.All(answers, result => Assert.Equal(RunState.Canceled, result.State));
        Assert.Equal(answers[0], answers[1]);
    }

    [Fact]
    public async Task Finished_run_is_replayed_through_any_node_and_a_different_request_for_its_id_is_a_conflict()
    {
        var id = Runs.NewId();
        var original = Runs.Answered(await A.ExecuteAsync(Runs.Echo(id, "once")));

        foreach (var node in new[] { B, C, A })
        {
            var replay = Runs.Answered(await node.ExecuteAsync(Runs.Echo(id, "once")));
            Assert.Equal(original.StartedAt, replay.StartedAt);
            Assert.Equal(original.EndedAt, replay.EndedAt);
            Assert.Equal(original.Outputs!.ToString(), replay.Outputs!.ToString());
        }
        var conflict = Assert.IsType<RunRefused>(await C.ExecuteAsync(Runs.Echo(id, "twice")));
        Assert.Equal(RefusalReason.Conflict, conflict.Reason);
    }

    [Fact]
    public async Task Cancel_that_arrives_before_its_execute_through_another_node_makes_the_execute_canceled()
    {
        var id = Runs.NewId();
        await B.CancelAsync(id);

        var result = Runs.Answered(await C.ExecuteAsync(Runs.Sleep(id, 60)));

        Assert.Equal(RunState.Canceled, result.State);
        Assert.Equal(0, (await Task.WhenAll(_cluster.Nodes.Select(n => n.LoadAsync()))).Sum(l => l.Running));
    }

    [Fact]
    public async Task Admission_limits_hold_on_the_node_that_runs_the_run()
    {
        await using var capped = await InProcessCluster.StartAsync(2, new RunSupervisorSettings(
            DefaultTimeout: TimeSpan.FromMinutes(5), MaxConcurrency: 1, MaxQueue: 0, QueueTimeout: TimeSpan.FromMinutes(1),
            ResultTtl: TimeSpan.FromMinutes(5), MaxRememberedRuns: 1000));
        var (first, second) = (capped.Nodes[0], capped.Nodes[1]);
        // Fill every slot of the cluster (one per node), then any further run is refused by its owner.
        var sleeps = new List<Task<ExecuteReply>>();
        while ((await Task.WhenAll(capped.Nodes.Select(n => n.LoadAsync()))).Sum(l => l.Running) < 2)
        {
            sleeps.Add(first.ExecuteAsync(Runs.Sleep(Runs.NewId(), 60)));
            await Task.Delay(50);
        }

        var refused = Assert.IsType<RunRefused>(await second.ExecuteAsync(Runs.Echo(Runs.NewId(), "no room")));

        Assert.Equal(RefusalReason.Overloaded, refused.Reason);
        Assert.Contains("concurrency cap (1)", refused.Message);
    }

    [Fact]
    public void Every_cross_node_message_is_bound_to_the_executors_serializer()
    {
        foreach (var message in Serialization.CrossNodeMessages.All())
            Assert.IsType<Jarvis.Actors.Serialization.RunMessageSerializer>(A.System.Serialization.FindSerializerFor(message));
    }

    private async Task AssertStillOneRunningAsync()
    {
        var loads = await Task.WhenAll(_cluster.Nodes.Select(n => n.LoadAsync()));
        Assert.Equal(1, loads.Sum(l => l.Running));
    }
}

/// <summary>One three-node cluster shared by the tests of a class (each uses ids of its own).</summary>
public sealed class ThreeNodeCluster : IAsyncLifetime
{
    public InProcessCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await InProcessCluster.StartAsync(3);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
