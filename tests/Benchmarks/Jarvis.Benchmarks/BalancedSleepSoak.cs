namespace Jarvis.Benchmarks;

/// <summary>Row C4: row 4's sleep soak (N connections each looping 2 s <c>jarvis.core.sleep</c> runs with unique ids)
/// through nginx, once to one executor with cluster mode off and once to the three-node cluster, both on fresh
/// processes in the same run, so the memory each in-flight run costs can be compared. Memory is the executors' only
/// (nginx's is the same in both and left out).</summary>
public sealed class BalancedSleepSoak(BenchOptions options, string workDirectory, Wrk wrk, ReportSection report)
{
    /// <summary>Each nginx worker holds a client and an upstream connection per run in flight (the upstream pool keeps
    /// only 128 idle ones): its share of 2 × connections, plus a quarter for an uneven spread and some spare.</summary>
    private int WorkerConnections => 2 * options.SleepConnections / options.SoakNginxWorkers * 5 / 4 + 1_000;

    public async Task<SleepSoakResult> RunAsync(string what, IReadOnlyList<ServerProcess> executors, bool isTarget, CancellationToken cancellation)
    {
        FileLimit.EnsureAtLeast(Math.Max(options.SleepConnections + 1_000, WorkerConnections + 100)); // wrk, executors and nginx inherit it
        using var nginx = await Nginx.StartAsync(executors.Select(e => e.BaseAddress).ToList(), workDirectory, $"nginx-soak-{executors[0].Name}",
            cancellation, options.SoakNginxWorkers, WorkerConnections);
        var result = await new SleepSoak(options, wrk).RunAsync(nginx.BaseAddress, executors, cancellation);
        var w = result.Wrk;
        var runsPerSecond = double.IsNaN(result.SteadyRunsPerSecond) ? w.RequestsPerSecond : result.SteadyRunsPerSecond;
        report.Add(new ReportRow("C4",
            $"{Format.Count(result.Connections)} connections each looping {options.SleepSeconds:0} s `jarvis.core.sleep` runs (unique ids) through nginx " +
            $"({options.SoakNginxWorkers} worker processes) → {what}, fresh processes; wrk {options.WrkThreads} threads, {Format.Seconds(options.SleepDuration)}",
            $"{Format.Count(w.Succeeded)} of {Format.Count(w.Requests)} runs succeeded{Benchmark.Problems(w)} · " +
            $"{Format.Rate(runsPerSecond, "runs/s")} steady ({Format.Rate(w.RequestsPerSecond, "runs/s")} over the whole run) · " +
            $"run latency p50 {Format.Ms(w.P50)}, p99 {Format.Ms(w.P99)} · peak in flight {Format.Count(result.PeakInFlight)} · " +
            $"{Format.KiB(result.BytesPerInFlightRun)} per in-flight run (sum of peak RSS {Format.MiB(result.PeakRss)}, of idle RSS {Format.MiB(result.BaselineRss)}" +
            $"{(executors.Count > 1 ? $", {executors.Count} executors" : "")})",
            isTarget ? "all succeed" : "—", isTarget ? Format.Verdict(w.AllSucceeded) : "—"));
        return result;
    }

    public void AddRatio(SleepSoakResult? single, SleepSoakResult? cluster)
    {
        if (single is null || cluster is null) return;
        var ratio = cluster.BytesPerInFlightRun / single.BytesPerInFlightRun;
        report.Add(new ReportRow("C4", $"memory per in-flight run, {options.ClusterSize}-node cluster ÷ 1 executor (the two runs above: " +
                                       "(sum of peak RSS − sum of idle RSS) ÷ connections)",
            $"{Format.Ratio(ratio)} ({Format.KiB(cluster.BytesPerInFlightRun)} vs {Format.KiB(single.BytesPerInFlightRun)})",
            "≤ 1.5", Format.Verdict(ratio <= 1.5)));
    }
}
