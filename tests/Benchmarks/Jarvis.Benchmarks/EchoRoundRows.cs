namespace Jarvis.Benchmarks;

/// <summary>The echo rows of the cluster table: one per setup (medians over its rounds, and each round's req/s so the
/// drift is visible), then the per-round ratios issue 18 sets targets for, as medians over the rounds.</summary>
public sealed class EchoRoundRows(BenchOptions options, ReportSection report)
{
    public void Add(IReadOnlyList<EchoSetup> setups, IReadOnlyDictionary<string, EchoSummary> summaries)
    {
        foreach (var setup in setups)
            if (summaries.TryGetValue(setup.Id, out var summary)) AddSetup(setup, summary);
        AddRatio("C3/S3", "throughput", summaries, "C3", "S3", w => w.RequestsPerSecond, "≥ 0.7", r => r >= 0.7);
        AddRatio("C3/S3", "executor CPU per request", summaries, "C3", "S3", w => w.CpuMsPerRequest, "≤ 1.5", r => r <= 1.5);
        AddRatio("C1/S1", "executor CPU per request", summaries, "C1", "S1", w => w.CpuMsPerRequest, "≤ 1.15", r => r <= 1.15);
    }

    private void AddSetup(EchoSetup setup, EchoSummary summary)
    {
        var perRound = string.Join(" / ", summary.Windows.Select(w => Format.Count(w.RequestsPerSecond)));
        var problems = string.Concat(summary.Windows.Select(w => Benchmark.Problems(w.Wrk) is { Length: > 0 } p ? $" · round {w.Round}:{p[2..]}" : ""));
        var routing = summary.RemoteShare is { } remote
            ? $" · owner of the runs: local {(1 - remote) * 100:0}%, remote {remote * 100:0}% (`jarvis_runs_routed_total`, all instances, all rounds)"
            : setup.Clustered ? " · no run counted in `jarvis_runs_routed_total`" : "";
        report.Add(new ReportRow(setup.Id,
            $"echo through nginx → {setup.Description}; wrk {options.WrkThreads} threads, {options.EchoConnections} connections, " +
            $"{Format.Seconds(options.RoundWindow)} per round",
            $"median of {summary.Rounds} rounds: {Format.Rate(summary.RequestsPerSecond)} · p50 {Format.Ms(summary.P50)} · p99 {Format.Ms(summary.P99)} · " +
            $"executor CPU {summary.CpuMsPerRequest:0.000} ms per request ({summary.ExecutorCores:0.00} cores; nginx {summary.NginxCores:0.00} cores)" +
            $"{routing} · req/s per round: {perRound}{problems}"));
    }

    private void AddRatio(string id, string what, IReadOnlyDictionary<string, EchoSummary> summaries, string of, string to,
        Func<EchoWindow, double> figure, string target, Func<double, bool> met)
    {
        if (!summaries.TryGetValue(of, out var a) || !summaries.TryGetValue(to, out var b)) return;
        var (median, perRound) = a.RatioTo(b, figure);
        var measured = perRound.Count > 0;
        report.Add(new ReportRow(id,
            $"{what}, {of} ÷ {to}: the ratio of each round (both measured seconds apart), median over the rounds",
            measured ? $"{Format.Ratio(median)} (per round: {string.Join(" / ", perRound.Select(Format.Ratio))})" : "no round measured both",
            target, measured ? Format.Verdict(met(median)) : "—"));
    }
}
