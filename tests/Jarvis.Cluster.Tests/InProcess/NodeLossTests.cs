using System.Diagnostics;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Sharding;
using Jarvis.Actors.Supervision;

namespace Jarvis.Cluster.Tests.InProcess;

/// <summary>A node that drops off the network mid-run: its callers on other nodes get a retryable
/// executor_unavailable failure within 10 s instead of waiting for an answer that cannot come.</summary>
public sealed class NodeLossTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(10);
    private InProcessCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await InProcessCluster.StartAsync(3);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Callers_on_other_nodes_of_a_run_whose_node_is_lost_get_a_retryable_failure_within_10_s()
    {
        var id = Runs.NewId();
        var viaFirst = _cluster.Nodes[0].ExecuteAsync(Runs.Sleep(id, 60));
        var owner = await _cluster.RunningOnAsync();
        // Every other node's caller waits on the same run (a duplicate joins it).
        var callers = _cluster.Nodes.Where(n => n != owner).ToList();
        var waiting = callers.Select(n => n == _cluster.Nodes[0] ? viaFirst : n.ExecuteAsync(Runs.Sleep(id, 60))).ToList();
        foreach (var caller in callers) await caller.WaitUntilRoutedAsync(1); // the owner took every caller's execute
        Assert.All(waiting, w => Assert.False(w.IsCompleted, "a caller was answered before the node was lost"));

        var clock = Stopwatch.StartNew();
        await owner.CutOffFromAsync(callers);

        foreach (var reply in waiting)
        {
            var result = await Runs.AnsweredWithin(reply, AnswerBound, "a caller of the lost node's run");
            Assert.Equal(RunState.Failed, result.State);
            Assert.Equal(RunGateway.UnavailableCode, result.Error!.Code);
            Assert.True(result.Error.Retryable);
            Assert.Equal(id, result.NodeRunId);
        }
        Assert.All(callers, c => Assert.Equal(1, c.Routes.OwnerLost));
        output.WriteLine($"callers answered {clock.ElapsedMilliseconds} ms after the owner was cut off");
    }

    [Fact]
    public async Task After_a_node_is_lost_new_runs_start_on_the_survivors()
    {
        var owner = _cluster.Nodes[2];
        var survivors = _cluster.Nodes.Take(2).ToList();
        await owner.CutOffFromAsync(survivors);

        // Every id must eventually run, the lost node's shards included (after the split-brain resolver downs it).
        // Until then, an id whose shard was on the lost node is refused as unavailable: never a hang, never another answer.
        var ids = Enumerable.Range(0, 30).Select(_ => Runs.NewId()).ToList();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var unavailable = 0;
        foreach (var id in ids)
        {
            while (true)
            {
                timeout.Token.ThrowIfCancellationRequested();
                var reply = await survivors[0].ExecuteAsync(Runs.Echo(id, "after"));
                if (reply is RunAnswered { Result.State: RunState.Succeeded }) break;
                var refused = Assert.IsType<RunRefused>(reply);
                Assert.Equal(RefusalReason.Unavailable, refused.Reason);
                unavailable++;
                await Task.Delay(200, timeout.Token);
            }
        }
        Assert.All(survivors, s => Assert.Equal(2, s.UpMembers));
        Assert.Equal(unavailable, survivors[0].Routes.NotTaken);
        output.WriteLine($"{unavailable} execute(s) refused executor_unavailable while the lost node's shards had no home");
    }

    [Fact]
    public async Task A_finished_run_whose_owner_is_lost_runs_again_on_a_duplicate_and_the_gateway_counts_it()
    {
        var caller = _cluster.Nodes[0];
        var (id, owner, first) = await FinishedRunOwnedElsewhereAsync(caller);
        var replayed = Runs.Answered(await caller.ExecuteAsync(Runs.Sleep(id, 0.5)));
        Assert.Equal(first.StartedAt, replayed.StartedAt); // while its owner lives, a duplicate replays the stored result
        Assert.Equal(0, caller.Routes.Reruns);

        var survivors = _cluster.Nodes.Where(n => n != owner).ToList();
        await owner.CutOffFromAsync(survivors);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (!survivors.All(s => s.UpMembers == 2)) await Task.Delay(100, timeout.Token); // the owner was downed and removed

        RunResult again;
        while (true)
        {
            var reply = await caller.ExecuteAsync(Runs.Sleep(id, 0.5));
            if (reply is RunAnswered answered) { again = answered.Result; break; }
            Assert.Equal(RefusalReason.Unavailable, Assert.IsType<RunRefused>(reply).Reason); // its shard has no home yet
            await Task.Delay(200, timeout.Token);
        }
        Assert.Equal(RunState.Succeeded, again.State);
        Assert.NotEqual(first.StartedAt, again.StartedAt); // it ran again: the stored result left with its owner
        Assert.Equal(1, caller.Routes.Reruns);
        Runs.Answered(await caller.ExecuteAsync(Runs.Sleep(id, 0.5))); // now replayed by the new owner: not counted again
        Assert.Equal(1, caller.Routes.Reruns);
    }

    [Fact]
    public async Task While_a_runs_owner_is_unreachable_its_executes_and_cancels_are_refused_at_once_not_held()
    {
        var caller = _cluster.Nodes[0];
        var (id, owner, _) = await FinishedRunOwnedElsewhereAsync(caller);
        await owner.CutOffFromAsync(_cluster.Nodes.Where(n => n != owner));
        var view = Akka.Cluster.Cluster.Get(caller.System);
        using var timeout = new CancellationTokenSource(InProcessCluster.Patience);
        while (!view.State.Unreachable.Any(m => m.Address == owner.Address)) await Task.Delay(50, timeout.Token);

        var refused = Assert.IsType<RunRefused>(await caller.ExecuteAsync(Runs.Sleep(id, 0.5)));
        Assert.Equal(RefusalReason.Unavailable, refused.Reason);
        Assert.Contains("is unreachable", refused.Message); // not "no executor node took the run within 5 s"
        var cancel = await Assert.ThrowsAsync<OwnerUnreachableException>(() => caller.CancelAsync(id));
        Assert.Contains(owner.Address.ToString(), cancel.Message);
        // both answered while the owner was still a member, i.e. before the ack timeout or the downing could answer them
        Assert.Contains(view.State.Members, m => m.Address == owner.Address);
        Assert.Equal(1, caller.Routes.NotTaken); // counted as refused unavailable, like an execute no node took
    }

    /// <summary>A short run executed through <paramref name="caller"/> whose owner is another node, and its result.</summary>
    private async Task<(string Id, ClusterNode Owner, RunResult Result)> FinishedRunOwnedElsewhereAsync(ClusterNode caller)
    {
        while (true)
        {
            var id = Runs.NewId();
            var execute = caller.ExecuteAsync(Runs.Sleep(id, 0.5));
            var owner = await _cluster.RunningOnAsync();
            var result = Runs.Answered(await execute);
            Assert.Equal(RunState.Succeeded, result.State);
            if (owner != caller) return (id, owner, result);
        }
    }
}
