namespace Jarvis.Benchmarks;

/// <summary>Row C6: what mutual TLS on remoting costs the cross-node hop. Two three-node clusters run side by side, one
/// with plain remoting and one with mutual TLS (a certificate per node from one test CA); the same open loop as C2 goes
/// to one instance of each, in short windows alternating between the two (which one goes first alternates too), and the
/// medians over the rounds are compared.</summary>
public sealed class TlsHopRows(BenchOptions options, ReportSection report)
{
    public async Task RunAsync(IReadOnlyList<ServerProcess> plainNodes, IReadOnlyList<ServerProcess> tlsNodes, double rate, string rateOrigin,
        CancellationToken cancellation)
    {
        var plain = await HopSeries.ProbeAsync(plainNodes, $"tlshop{Environment.ProcessId}-plain", cancellation);
        var tls = await HopSeries.ProbeAsync(tlsNodes, $"tlshop{Environment.ProcessId}-tls", cancellation);
        // The TLS cluster has just started while C3 has served for minutes: a full warm-up each, so that the JIT's
        // tiering is not what is compared.
        await plain.RunAsync("warmup", rate, options.WarmUp, cancellation);
        await tls.RunAsync("warmup", rate, options.WarmUp, cancellation);

        var plainWindows = new List<HopWindow>();
        var tlsWindows = new List<HopWindow>();
        for (var round = 0; round < options.TlsHopRounds; round++)
        {
            async Task Measure(HopSeries series, List<HopWindow> into) =>
                into.Add(await series.RunAsync($"round{round}", rate, options.TlsHopWindow, cancellation));
            if (round % 2 == 0) { await Measure(plain, plainWindows); await Measure(tls, tlsWindows); }
            else { await Measure(tls, tlsWindows); await Measure(plain, plainWindows); }
        }

        var how = $"the C2 open loop ({Format.Rate(rate)}, {rateOrigin}) to one instance of each of two 3-node clusters running side by side, " +
                  $"{options.TlsHopRounds} rounds of {Format.Seconds(options.TlsHopWindow)} per cluster, alternating (after " +
                  $"{Format.Seconds(options.WarmUp)} of warm-up each); median over the rounds";
        report.Add(new ReportRow("C6", $"plain remoting (akka.tcp): {how}", Figures(plainWindows)));
        report.Add(new ReportRow("C6", "mutual TLS on remoting (akka.ssl.tcp, JARVIS_CLUSTER_TLS_*): the same, interleaved", Figures(tlsWindows)));
        var pairs = plainWindows.Zip(tlsWindows).ToList();
        var valid = pairs.All(p => p.First.AllSucceeded && p.Second.AllSucceeded && p.First.OwnershipHeld && p.Second.OwnershipHeld);
        report.Add(new ReportRow("C6", "what TLS adds: TLS − plain of each round's figures (the two windows seconds apart), median over the rounds",
            $"remote-owner p50 {HopProbe.Signed(MedianOf(pairs, p => p.Second.Remote.FromSchedule.P50 - p.First.Remote.FromSchedule.P50))} · " +
            $"p99 {HopProbe.Signed(MedianOf(pairs, p => p.Second.Remote.FromSchedule.P99 - p.First.Remote.FromSchedule.P99))} · " +
            $"hop (remote − local) p50 {HopProbe.Signed(MedianOf(pairs, p => p.Second.HopP50 - p.First.HopP50))} · " +
            $"cluster CPU per request × {Median.Of(pairs.Select(p => p.Second.CpuPerRequest / p.First.CpuPerRequest)):0.00} " +
            $"(per round: {string.Join(" / ", pairs.Select(p => (p.Second.CpuPerRequest / p.First.CpuPerRequest).ToString("0.00")))})" +
            (valid ? "" : " · **some answers not succeeded, or ownership moved**")));
    }

    private static string Figures(List<HopWindow> windows)
    {
        var unexpected = windows.Sum(w => w.Local.Unexpected + w.Remote.Unexpected);
        return $"remote owner p50 {Format.Ms(MedianOf(windows, w => w.Remote.FromSchedule.P50))} · p99 {Format.Ms(MedianOf(windows, w => w.Remote.FromSchedule.P99))} · " +
               $"local owner p50 {Format.Ms(MedianOf(windows, w => w.Local.FromSchedule.P50))} · p99 {Format.Ms(MedianOf(windows, w => w.Local.FromSchedule.P99))} · " +
               $"hop (remote − local) p50 {HopProbe.Signed(MedianOf(windows, w => w.HopP50))} · p99 {HopProbe.Signed(MedianOf(windows, w => w.HopP99))} · " +
               $"cluster CPU {Format.Ms(MedianOf(windows, w => w.CpuPerRequest))} per request · {Format.Count(windows.Sum(w => w.Local.Requests + w.Remote.Requests))} requests" +
               (unexpected > 0 ? $" · **{Format.Count(unexpected)} answers not succeeded**" : "");
    }

    private static TimeSpan MedianOf<T>(IEnumerable<T> items, Func<T, TimeSpan> value) =>
        TimeSpan.FromTicks((long)Median.Of(items.Select(i => (double)value(i).Ticks)));
}
