using System.Diagnostics;
using System.Globalization;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Cluster.Tests.Processes;

/// <summary>SIGTERM of one instance of a running cluster: the runs it owns finish within the grace and their callers,
/// on any instance, get the real results; it leaves the cluster and exits 0, while the others keep serving.</summary>
public sealed class GracefulLeaveTests(ITestOutputHelper output)
{
    private const string Sleep = "jarvis.core.sleep";
    private const double SleepSeconds = 8;
    private const int GraceSeconds = 40;

    [Fact]
    public async Task Sigterm_lets_the_runs_it_owns_succeed_for_callers_on_every_instance_then_leaves_and_exits_0()
    {
        await using var cluster = await ExecutorCluster.StartAsync(output,
            environment: new Dictionary<string, string> { ["JARVIS_SHUTDOWN_GRACE_SECS"] = GraceSeconds.ToString(CultureInfo.InvariantCulture) });
        await cluster.SpreadShardsAsync();
        var leaving = cluster[2];
        var others = cluster.Instances.Where(i => i != leaving).ToList();

        // One sleep run by the leaving instance sent through each instance (itself included). Probe runs that land
        // elsewhere are canceled at once, so at SIGTERM the leaving instance's sleeps are the only runs in flight.
        var discovery = Stopwatch.StartNew();
        var owned = new List<LocatedRun>();
        var callersLeft = cluster.Instances.ToList();
        for (var probe = 0; callersLeft.Count > 0; probe++)
        {
            Assert.True(probe < 60, $"60 probe runs found no run owned by {leaving.Name} for {string.Join(", ", callersLeft)}");
            var via = callersLeft[probe % callersLeft.Count];
            var id = ExecuteRequests.NewId("leave");
            var located = await cluster.StartAndLocateAsync(via, ExecuteRequests.Sleep(SleepSeconds, id), Sleep);
            if (located.Owner == leaving)
            {
                owned.Add(located);
                callersLeft.Remove(via);
                continue;
            }
            Assert.Equal(System.Net.HttpStatusCode.NoContent, (await via.Client.CancelAsync(id)).StatusCode);
            await HttpAssert.ResultAsync(await located.Execute.Within(TimeSpan.FromSeconds(15), "a canceled probe run"), "canceled");
        }
        output.WriteLine($"{owned.Count} sleeps of {SleepSeconds} s run on {leaving.Name}, found in {discovery.Seconds()}, " +
            $"sent through {string.Join(", ", owned.Select(o => o.Via.Index))}");
        Assert.True(owned.All(o => !o.Execute.IsCompleted),
            $"a sleep ended before SIGTERM (finding them took {discovery.Seconds()}): the drain would not be exercised");

        var clock = Stopwatch.StartNew();
        leaving.Terminate();

        // Meanwhile the others serve: each echo succeeds, or (for an id the leaving instance owns) is refused retryably.
        var served = await Task.WhenAll(others.Select(async instance =>
        {
            var succeeded = 0;
            for (var i = 0; i < 20; i++)
            {
                var text = Guid.NewGuid().ToString("N");
                var response = await instance.Client.ExecuteAsync(ExecuteRequests.Echo(text))
                    .Within(TimeSpan.FromSeconds(30), $"an echo through {instance.Name} during the drain");
                var result = await RetryableAnswer.SucceededOrRetryableAsync(response, "shutting_down", "executor_unavailable");
                if (result is null) continue;
                Assert.Equal(text, result["outputs"]!["echo"]!.GetValue<string>());
                succeeded++;
            }
            return succeeded;
        }));
        output.WriteLine($"during the drain: echoes succeeded {string.Join(", ", others.Zip(served, (o, n) => $"{n}/20 through {o.Index}"))}" +
            $" ({clock.Seconds()} after SIGTERM)");
        Assert.False(leaving.HasExited, "the leaving instance exited before the echoes were sent: they did not overlap its drain");
        Assert.All(served, n => Assert.True(n > 0, "an instance that stays served no echo while another one drained"));

        foreach (var run in owned)
        {
            var result = await HttpAssert.ResultAsync(
                await run.Execute.Within(TimeSpan.FromSeconds(GraceSeconds + 30), $"the sleep sent through {run.Via.Name}"), "succeeded");
            Assert.True(result["outputs"]!["slept_seconds"]!.GetValue<double>() >= SleepSeconds, result.ToJsonString());
        }
        output.WriteLine($"all {owned.Count} sleeps succeeded {clock.Seconds()} after SIGTERM");

        Assert.Equal(0, await leaving.WaitForExitAsync(TimeSpan.FromSeconds(GraceSeconds + 30)));
        output.WriteLine($"{leaving.Name} exited 0 {clock.Seconds()} after SIGTERM");

        // It left (no downing needed): the others see two members, and new runs through them all succeed.
        await cluster.WaitForMembersAsync(others, membersUp: 2, TimeSpan.FromSeconds(30));
        var rounds = await OwnerKillTests.UntilAllSucceedAsync(others, perInstance: 15, [], TimeSpan.FromSeconds(30));
        output.WriteLine($"after the leave: 2 members up, new runs all succeeded ({rounds} rounds), {clock.Seconds()} after SIGTERM");
    }
}
