namespace Jarvis.Benchmarks;

/// <summary>Row C2: the cost of the cross-node hop, on one instance of the three-node cluster addressed directly (no
/// nginx): an open loop alternating ids whose shard that instance owns (local) with ids another instance owns (remote),
/// so both series meet the same moments of a shared machine.</summary>
public sealed class HopProbe(BenchOptions options, ReportSection report)
{
    /// <summary>The instance's shards are classified first (one probe per shard, <see cref="ShardOwnership"/>); then an
    /// open loop at <paramref name="rate"/> straight to that instance sends fresh ids, even requests from its own shards
    /// and odd ones from the others' shards. The routed counters are read around the measured run to check that
    /// ownership did not move meanwhile. Nothing else may be sent to the cluster while it runs.</summary>
    /// <param name="rateOrigin">How the rate was chosen, for the row.</param>
    public async Task RunAsync(IReadOnlyList<ServerProcess> nodes, double rate, string rateOrigin, CancellationToken cancellation)
    {
        var series = await HopSeries.ProbeAsync(nodes, $"hop{Environment.ProcessId}", cancellation);
        var target = series.Target;
        await series.RunAsync("warmup", rate, options.HopWarmUp, cancellation);
        var window = await series.RunAsync("measured", rate, options.HopDuration, cancellation);
        var (localResult, remoteResult, routed) = (window.Local, window.Remote, window.Routed);

        // the routed counters must have moved exactly as the classification predicted
        var held = window.OwnershipHeld;
        var check = held
            ? $"the routed counters agree: +{Format.Count(routed.Local)} local, +{Format.Count(routed.Remote)} remote"
            : $"**ownership moved during the run**: routed counters +{Format.Count(routed.Local)} local, +{Format.Count(routed.Remote)} remote " +
              $"for {Format.Count(localResult.Requests)} local and {Format.Count(remoteResult.Requests)} remote ids";
        var how = $"{target.Name} of the {nodes.Count}-node cluster directly (no nginx); open loop at a constant " +
                  $"{Format.Rate(rate)} ({rateOrigin}) for {Format.Seconds(options.HopDuration)} (after {Format.Seconds(options.HopWarmUp)} of warm-up), " +
                  $"fresh ids alternating";
        report.Add(new ReportRow("C2",
            $"local owner: {how}; the ids whose shard this instance owns ({series.LocalShards} of {ShardOwnership.ShardCount} shards)",
            HopFigures(localResult)));
        report.Add(new ReportRow("C2",
            $"remote owner: the same run's other ids, whose shard another instance owns ({ShardOwnership.ShardCount - series.LocalShards} shards)",
            HopFigures(remoteResult)));
        var (p50, p99) = (window.HopP50, window.HopP99);
        var allSucceeded = window.AllSucceeded;
        report.Add(new ReportRow("C2", "cross-node hop cost: remote − local, latency from each request's scheduled send time",
            $"p50 {Signed(p50)} · p99 {Signed(p99)} · {check}", "p50 ≤ +0.3 ms, p99 ≤ +2 ms",
            allSucceeded && held ? $"{Format.Verdict(p50 <= TimeSpan.FromMilliseconds(0.3))} (p50) · {Format.Verdict(p99 <= TimeSpan.FromMilliseconds(2))} (p99)"
                : "— (answers not succeeded, or ownership moved)"));
    }

    internal static string HopFigures(OpenLoopResult result)
    {
        var unexpected = result.Unexpected > 0 ? $" · **{Format.Count(result.Unexpected)} answers not succeeded**" : "";
        return $"p50 {Format.Ms(result.FromSchedule.P50)} · p99 {Format.Ms(result.FromSchedule.P99)} · max {Format.Ms(result.FromSchedule.Max)} " +
               $"({Format.Count(result.Requests)} requests at {Format.Rate(result.AchievedRate)}; from actual send p50 {Format.Ms(result.FromSend.P50)}, " +
               $"p99 {Format.Ms(result.FromSend.P99)}; sender lateness p99 {Format.Ms(result.SendLateness.P99)}){unexpected}";
    }

    internal static string Signed(TimeSpan t) => t < TimeSpan.Zero ? $"−{Format.Ms(-t)}" : $"+{Format.Ms(t)}";
}
