namespace Jarvis.Benchmarks;

/// <summary>The echo measurement of the cluster rows. The machine's speed can drift up to 2× between minutes, so the
/// setups are not measured one after the other: every setup is warmed up, then each round runs every setup once for a
/// short window, the order rotated from round to round. A drift then hits all setups in the same rounds, and the
/// per-round ratios (C3/S3, C1/S1) compare setups measured seconds apart. A setup whose warm-up or window fails is
/// reported as such and left out of the later rounds; the others go on.</summary>
public sealed class EchoRounds(BenchOptions options, Wrk wrk, ReportSection report)
{
    private static readonly TimeSpan EchoTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The windows of every setup, by setup id, in round order.</summary>
    public async Task<IReadOnlyDictionary<string, List<EchoWindow>>> RunAsync(IReadOnlyList<EchoSetup> setups, CancellationToken cancellation)
    {
        var windows = setups.ToDictionary(s => s.Id, _ => new List<EchoWindow>());
        var live = new List<EchoSetup>();
        foreach (var setup in setups)
            await Phase.RunAsync(report, setup.Id, $"{setup.Id}: warm-up ({Format.Seconds(options.WarmUp)})", async () =>
            {
                await RunWrkAsync(setup, options.WarmUp, cancellation); // tiered JIT settles; the figures are thrown away
                live.Add(setup);
            }, cancellation);

        for (var round = 1; round <= options.ClusterRounds; round++)
            foreach (var setup in Rotated(live, round - 1))
                await Phase.RunAsync(report, setup.Id, $"{setup.Id}: round {round} of {options.ClusterRounds}", async () =>
                {
                    try
                    {
                        windows[setup.Id].Add(await MeasureAsync(setup, round, cancellation));
                    }
                    catch
                    {
                        live.Remove(setup);
                        throw;
                    }
                }, cancellation);
        return windows;
    }

    /// <summary>A copy of <paramref name="setups"/> starting at index <paramref name="by"/> (mod its length).</summary>
    private static List<EchoSetup> Rotated(IReadOnlyList<EchoSetup> setups, int by) =>
        setups.Count == 0 ? [] : setups.Skip(by % setups.Count).Concat(setups.Take(by % setups.Count)).ToList();

    private async Task<EchoWindow> MeasureAsync(EchoSetup setup, int round, CancellationToken cancellation)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        // the counters are scraped outside the CPU window, so the scrapes are not charged to the requests
        var routedBefore = setup.Clustered ? await RoutedAsync(client, setup.Executors, cancellation) : (RoutedCounts?)null;
        var (executorsBefore, nginxBefore) = (ExecutorCpu(setup), setup.Nginx.CpuTime);
        var result = await RunWrkAsync(setup, options.RoundWindow, cancellation);
        var (executorCpu, nginxCpu) = (ExecutorCpu(setup) - executorsBefore, setup.Nginx.CpuTime - nginxBefore);
        var routed = routedBefore is { } before ? await RoutedAsync(client, setup.Executors, cancellation) - before : (RoutedCounts?)null;

        var window = new EchoWindow(round, result, executorCpu, nginxCpu, routed);
        Console.Error.WriteLine($"  {Format.Rate(window.RequestsPerSecond)}, p99 {Format.Ms(result.P99)}, " +
                                $"{window.CpuMsPerRequest:0.000} ms executor CPU per request");
        return window;
    }

    private Task<WrkResult> RunWrkAsync(EchoSetup setup, TimeSpan duration, CancellationToken cancellation) =>
        wrk.RunAsync(setup.Nginx.BaseAddress, RequestBodies.EchoSuffix, options.WrkThreads, options.EchoConnections, duration,
            EchoTimeout, cancellation);

    private static TimeSpan ExecutorCpu(EchoSetup setup) => setup.Executors.Aggregate(TimeSpan.Zero, (sum, e) => sum + ProcessCpu.Time(e.Pid));

    private static async Task<RoutedCounts> RoutedAsync(HttpClient client, IReadOnlyList<ServerProcess> executors, CancellationToken cancellation)
    {
        var sum = new RoutedCounts(0, 0);
        foreach (var executor in executors) sum += await RoutedCounts.ReadAsync(client, executor.BaseAddress, cancellation);
        return sum;
    }
}
