using System.Diagnostics;

namespace Jarvis.Benchmarks;

public sealed record SleepSoakResult(int Connections, WrkResult Wrk, double SteadyRunsPerSecond, double PeakInFlight,
    long BaselineRss, long PeakRss)
{
    /// <summary>Growth of the resident set over the idle executor, per connection (each holds one run in flight); with
    /// several executors, the sums of their peaks and of their idle sets.</summary>
    public double BytesPerInFlightRun => (PeakRss - BaselineRss) / (double)Connections;
}

/// <summary>DESIGN §8: N connections each looping 2 s sleep runs with unique ids on one fresh executor, with no
/// concurrency cap. Resident memory and the executor's own run counters are sampled while it runs. Row C4 runs the
/// same through nginx in front of several executors: memory and counters are then summed over the executors.</summary>
public sealed class SleepSoak(BenchOptions options, Wrk wrk)
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(500);

    public Task<SleepSoakResult> RunAsync(ServerProcess executor, CancellationToken cancellation) =>
        RunAsync(executor.BaseAddress, [executor], cancellation);

    /// <param name="target">Where wrk sends the runs: the executor itself, or a load balancer in front of <paramref name="executors"/>.</param>
    public async Task<SleepSoakResult> RunAsync(Uri target, IReadOnlyList<ServerProcess> executors, CancellationToken cancellation)
    {
        var clients = executors.Select(e => new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = e.BaseAddress }).ToList();
        try
        {
            await ReadAsync(clients, cancellation); // JIT the scrape before the baseline is taken
            var baseline = executors.Sum(e => e.Rss);

            using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var samples = new List<MetricsSample>();
            var sampling = SampleAsync(clients, samples, stopSampling.Token);
            var started = Stopwatch.GetTimestamp();
            WrkResult result;
            try
            {
                result = await wrk.RunAsync(target, RequestBodies.SleepSuffix(options.SleepSeconds), options.WrkThreads,
                    options.SleepConnections, options.SleepDuration, TimeSpan.FromSeconds(30), cancellation);
            }
            finally
            {
                await stopSampling.CancelAsync();
                await sampling;
            }
            return new SleepSoakResult(options.SleepConnections, result, SteadyRate(samples, started),
                samples.Select(s => s.InFlight).DefaultIfEmpty().Max(), baseline, executors.Sum(e => e.PeakRss));
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    /// <summary>Every executor's counters, added up (each run is counted by the instance that ran it).</summary>
    private static async Task<MetricsSample> ReadAsync(IReadOnlyList<HttpClient> clients, CancellationToken cancellation)
    {
        var each = await Task.WhenAll(clients.Select(c => ExecutorMetrics.ReadAsync(c, cancellation)));
        return new MetricsSample(each.Max(s => s.Timestamp), each.Sum(s => s.InFlight), each.Sum(s => s.SleepSucceeded));
    }

    private static async Task SampleAsync(IReadOnlyList<HttpClient> clients, List<MetricsSample> samples, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                samples.Add(await ReadAsync(clients, stop));
                await Task.Delay(SampleEvery, stop);
            }
            catch (OperationCanceledException) { return; }
            catch (HttpRequestException) { } // a missed sample under load is not a failed phase
        }
    }

    /// <summary>Completions per second once every connection is looping: the run's first quarter (connecting, the first
    /// round of runs) and its last second (wrk stopping) are left out.</summary>
    private double SteadyRate(List<MetricsSample> samples, long started)
    {
        var from = options.SleepDuration * 0.25;
        var to = options.SleepDuration - TimeSpan.FromSeconds(1);
        var window = samples.Where(s => Stopwatch.GetElapsedTime(started, s.Timestamp) is var t && t >= from && t <= to).ToList();
        if (window.Count < 2) return double.NaN;
        var (first, last) = (window[0], window[^1]);
        return (last.SleepSucceeded - first.SleepSucceeded) / Stopwatch.GetElapsedTime(first.Timestamp, last.Timestamp).TotalSeconds;
    }
}
