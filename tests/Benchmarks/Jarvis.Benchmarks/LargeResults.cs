using System.Globalization;
using System.Text;

namespace Jarvis.Benchmarks;

public sealed record LargeResultsResult(long Budget, int Runs, int Succeeded, string? FirstProblem, double RunsPerSecond,
    long BaselineRss, long PeakRss, long PeakRememberedBytes)
{
    public long Growth => PeakRss - BaselineRss;
}

/// <summary>Row 7 (issue 19): results much larger than an echo, each remembered for replay. A fresh executor answers
/// <c>jarvis.core.echo</c> runs whose output is a 1,000,000-character string, with distinct ids, a few at a time; its
/// resident set is compared with the remembered-results budget, and <c>jarvis_remembered_bytes</c> is sampled to show
/// that the estimate stays within it.</summary>
public sealed class LargeResults(BenchOptions options)
{
    public const int OutputChars = 1_000_000;
    private const int Concurrency = 4;
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(200);

    public async Task<LargeResultsResult> RunAsync(ServerProcess executor, long budget, CancellationToken cancellation)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = executor.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        await ExecutorMetrics.RememberedBytesAsync(client, cancellation); // JIT the scrape before the baseline is taken
        var baseline = executor.Rss;
        var echo = new string('x', OutputChars);
        var runs = options.LargeResultRuns;
        var next = -1;
        var succeeded = 0;
        string? problem = null;
        var peakRemembered = 0L;

        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var sampling = Task.Run(async () =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                try
                {
                    peakRemembered = Math.Max(peakRemembered, await ExecutorMetrics.RememberedBytesAsync(client, stopSampling.Token));
                    await Task.Delay(SampleEvery, stopSampling.Token);
                }
                catch (OperationCanceledException) { return; }
                catch (HttpRequestException) { }
            }
        }, CancellationToken.None);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < runs; i = Interlocked.Increment(ref next))
            {
                var body = RequestBodies.Echo($"large-{i}").Replace("\"echo\":\"hi\"", $"\"echo\":\"{echo}\"", StringComparison.Ordinal);
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await client.PostAsync(RequestBodies.ExecutePath, content, cancellation);
                var text = await response.Content.ReadAsStringAsync(cancellation);
                if (response.IsSuccessStatusCode && text.Contains("\"state\":\"succeeded\"", StringComparison.Ordinal) && text.Length > OutputChars)
                    Interlocked.Increment(ref succeeded);
                else Interlocked.CompareExchange(ref problem, $"{(int)response.StatusCode} {text[..Math.Min(200, text.Length)]}", null);
            }
        }, cancellation)));
        var elapsed = clock.Elapsed;
        await stopSampling.CancelAsync();
        await sampling;
        peakRemembered = Math.Max(peakRemembered, await ExecutorMetrics.RememberedBytesAsync(client, cancellation));
        return new LargeResultsResult(budget, runs, succeeded, problem, runs / elapsed.TotalSeconds, baseline, executor.PeakRss, peakRemembered);
    }

    /// <summary>Issue 19's bound: 1.25 × the budget + 64 MiB of resident growth.</summary>
    public static long GrowthTarget(long budget) => budget * 5 / 4 + 64L * 1024 * 1024;

    public static string Describe(long budget) =>
        $"{(budget / 1024.0 / 1024).ToString("0", CultureInfo.InvariantCulture)} MiB";
}
