using System.Diagnostics;

namespace Jarvis.Benchmarks;

public sealed record SleepSoakResult(int Connections, WrkResult Wrk, double SteadyRunsPerSecond, double PeakInFlight,
    long BaselineRss, long PeakRss)
{
    /// <summary>Growth of the resident set over the idle executor, per connection (each holds one run in flight).</summary>
    public double BytesPerInFlightRun => (PeakRss - BaselineRss) / (double)Connections;
}

/// <summary>DESIGN §8: N connections each looping 2 s sleep runs with unique ids on one fresh executor, with no
/// concurrency cap. Resident memory and the executor's own run counters are sampled while it runs.</summary>
public sealed class SleepSoak(BenchOptions options, Wrk wrk)
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(500);

    public async Task<SleepSoakResult> RunAsync(ServerProcess executor, CancellationToken cancellation)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = executor.BaseAddress };
        await ExecutorMetrics.ReadAsync(client, cancellation); // JIT the scrape before the baseline is taken
        var baseline = executor.Rss;

        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var samples = new List<MetricsSample>();
        var sampling = SampleAsync(client, samples, stopSampling.Token);
        var started = Stopwatch.GetTimestamp();
        WrkResult result;
        try
        {
            result = await wrk.RunAsync(executor.BaseAddress, RequestBodies.SleepSuffix(options.SleepSeconds), options.WrkThreads,
                options.SleepConnections, options.SleepDuration, TimeSpan.FromSeconds(30), cancellation);
        }
        finally
        {
            await stopSampling.CancelAsync();
            await sampling;
        }
        return new SleepSoakResult(options.SleepConnections, result, SteadyRate(samples, started), samples.Select(s => s.InFlight).DefaultIfEmpty().Max(),
            baseline, executor.PeakRss);
    }

    private static async Task SampleAsync(HttpClient client, List<MetricsSample> samples, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                samples.Add(await ExecutorMetrics.ReadAsync(client, stop));
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
