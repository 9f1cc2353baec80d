using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Cluster.Tests.Partition;

/// <summary>When things happened in one run of the scenario (test-clock readings).
/// <see cref="BalancerErrorsBefore"/>: how many lines nginx's error log had when the load began (those are from the
/// executors' start-up, when the health polls found nothing listening yet).</summary>
internal sealed record PartitionTimeline(TimeSpan LoadStart, TimeSpan CutAt, TimeSpan HealAt, TimeSpan LoadEnd,
    TimeSpan? RestartAt, TimeSpan? RejoinedAt, string? RejoinProblem, int BalancerErrorsBefore);

/// <summary>
/// The scenario on a formed cluster: mixed load through nginx from <see cref="Clients"/> loops for 8 s, then C is cut
/// off from A and B (inside C's namespace; nginx still reaches it) for 25 s, then the cut heals and the load goes on
/// for 15 s. Meanwhile C's health is probed directly, and C, once its first process has ended and the cut has
/// healed, is started again; after the load it must rejoin and serve. Everything observed is recorded for the checks.
/// </summary>
internal sealed class PartitionScenario(PartitionRig rig, ITestOutputHelper output)
{
    public const int Clients = 12;
    public static readonly TimeSpan BeforeCut = TimeSpan.FromSeconds(8);
    public static readonly TimeSpan CutLength = TimeSpan.FromSeconds(25);
    public static readonly TimeSpan AfterHeal = TimeSpan.FromSeconds(15);

    /// <summary>How long after the heal C's first process may still run before the test kills it (so that the restart
    /// and rejoin are still tested when the exit is missing; the checks report the missing exit).</summary>
    public static readonly TimeSpan ExitBoundAfterHeal = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan RejoinTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ProbeDeadline = TimeSpan.FromSeconds(2);
    private const int ServingChecks = 3;

    public static ExecutorSite Minority => PartitionNetwork.Sites[2];
    public static IReadOnlyList<ExecutorSite> Majority => PartitionNetwork.Sites.Take(2).ToList();

    public ExchangeRecorder Recorder { get; } = new(rig.Clock);

    public async Task<PartitionTimeline> RunAsync()
    {
        var clock = rig.Clock;
        var first = rig.Current(Minority);
        var balancerErrorsBefore = rig.Balancer.ErrorLogLines.Count;
        var loadStart = clock.Elapsed;
        var loadEnd = loadStart + BeforeCut + CutLength + AfterHeal;
        var load = new MixedLoad(Recorder, rig.Balanced, clock).RunAsync(Clients, loadEnd);

        await DelayUntilAsync(loadStart + BeforeCut);
        await rig.Network.CutAsync(Minority, Majority);
        var cutAt = clock.Elapsed;
        Log($"cut {Minority} off from {string.Join(", ", Majority)}: {OneLine(await rig.Network.RulesAsync(Minority))}");
        var probes = ProbeHealthUntilExitAsync(first, cutAt + CutLength + ExitBoundAfterHeal);
        var healed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var restart = RestartAfterHealAsync(first, healed.Task, cutAt + CutLength + ExitBoundAfterHeal);

        await DelayUntilAsync(cutAt + CutLength);
        await rig.Network.HealAsync(Minority);
        var healAt = clock.Elapsed;
        var rules = await rig.Network.RulesAsync(Minority);
        if (rules.Contains("DROP", StringComparison.Ordinal)) throw new InvalidOperationException($"the heal left rules behind: {rules}");
        Log("healed the cut");
        healed.SetResult();

        var (restartAt, rejoinedAt, rejoinProblem) = await restart;
        await load;
        await probes;
        Log($"load done: {Recorder.All.Count} requests");
        if (rejoinProblem is null) await ServeAfterRejoinAsync();
        return new PartitionTimeline(loadStart, cutAt, healAt, loadEnd, restartAt, rejoinedAt, rejoinProblem, balancerErrorsBefore);
    }

    /// <summary>GET /v1/health on C's own socket every 250 ms from the cut until C's first process has exited (or
    /// <paramref name="until"/>): shows when C stops answering 200 and what it answers then.</summary>
    private async Task ProbeHealthUntilExitAsync(NamespacedExecutor first, TimeSpan until)
    {
        while (!first.HasExited && rig.Clock.Elapsed < until)
        {
            await Task.WhenAll(Recorder.HealthAsync(rig.Direct(Minority), Minority.Name, ProbeDeadline), Task.Delay(ProbeInterval));
        }
    }

    /// <summary>Once the cut has healed and C's first process has ended (killed at <paramref name="exitBound"/> if it
    /// has not), starts C again with the same settings, under the load, and waits until C and A see it as an Up
    /// member; returns when it restarted and rejoined, or why it did not rejoin.</summary>
    private async Task<(TimeSpan RestartAt, TimeSpan? RejoinedAt, string? Problem)> RestartAfterHealAsync(
        NamespacedExecutor first, Task healed, TimeSpan exitBound)
    {
        await healed;
        var remaining = exitBound - rig.Clock.Elapsed;
        if (!await first.WaitForExitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero))
        {
            Log($"{first} still runs {ExitBoundAfterHeal.TotalSeconds:0} s after the heal: killed, so that its restart can be tested");
            await first.KillAsync();
        }
        var second = rig.StartExecutor(Minority);
        var restartAt = rig.Clock.Elapsed;
        Log($"{first} {first.ExitSummary}; started {second}");
        try
        {
            await rig.WaitForMembersAsync([Minority, Majority[0]], RejoinTimeout);
            Log($"{second} rejoined: {Minority} and {Majority[0]} see 3 members up");
            return (restartAt, rig.Clock.Elapsed, null);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            return (restartAt, null, e.Message);
        }
    }

    /// <summary>A few echoes straight to the restarted C and a few through nginx (checked with the rest).</summary>
    private async Task ServeAfterRejoinAsync()
    {
        for (var k = 0; k < ServingChecks; k++)
        {
            var id = ExecuteRequests.NewId("rejoined-direct");
            await Recorder.ExecuteAsync(rig.Direct(Minority), Minority.Name, Exchange.DirectExecute, id, ExecuteRequests.Echo("after rejoin", id), MixedLoad.EchoDeadline);
            id = ExecuteRequests.NewId("rejoined-lb");
            await Recorder.ExecuteAsync(rig.Balanced, "lb", Exchange.DirectExecute, id, ExecuteRequests.Echo("after rejoin", id), MixedLoad.EchoDeadline);
        }
    }

    private async Task DelayUntilAsync(TimeSpan reading)
    {
        var wait = reading - rig.Clock.Elapsed;
        if (wait > TimeSpan.Zero) await Task.Delay(wait); // a phase of fixed length, not a wait for a condition
    }

    private void Log(string line) => output.WriteLine($"[{rig.Clock.Elapsed.TotalSeconds,6:0.00} s] {line}");

    private static string OneLine(string text) => string.Join("; ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
}
