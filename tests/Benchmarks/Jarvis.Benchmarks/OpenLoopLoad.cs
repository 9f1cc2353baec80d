using System.Diagnostics;
using System.Text;

namespace Jarvis.Benchmarks;

public sealed record OpenLoopResult(double TargetRate, double AchievedRate, int Requests, int Unexpected,
    Percentiles FromSchedule, Percentiles FromSend, Percentiles SendLateness);

/// <summary>Every request of one open-loop run (Stopwatch timestamps), so that a subset can be summarized on its own.</summary>
public sealed record OpenLoopSamples(double Rate, long[] Due, long[] SentAt, long[] DoneAt, bool[] Succeeded)
{
    public int Count => Due.Length;

    /// <summary>The figures of the requests <paramref name="include"/> selects (all when null); the target rate is the
    /// run's scaled to the share selected.</summary>
    public OpenLoopResult Summarize(Func<int, bool>? include = null)
    {
        var picked = Enumerable.Range(0, Count).Where(i => include?.Invoke(i) ?? true).ToArray();
        if (picked.Length == 0) throw new InvalidOperationException("no request was selected");
        var firstDue = picked.Min(i => Due[i]);
        var lastDone = picked.Max(i => DoneAt[i]);
        return new OpenLoopResult(Rate * picked.Length / Count, picked.Length / Stopwatch.GetElapsedTime(firstDue, lastDone).TotalSeconds,
            picked.Length, picked.Count(i => !Succeeded[i]),
            new Percentiles(picked.Select(i => DoneAt[i] - Due[i])),
            new Percentiles(picked.Select(i => DoneAt[i] - SentAt[i])),
            new Percentiles(picked.Select(i => SentAt[i] - Due[i])));
    }
}

/// <summary>A constant request rate whatever the answers do (wrk2-style, which Debian's wrk cannot do): request i is
/// due at start + i / rate and sent then even if earlier ones are still waiting. Latency is counted from the due
/// time, so a server that stalls is charged for the requests that queued behind the stall (no coordinated omission).
/// The generator's own lateness is reported too, so its share of the figure is visible.</summary>
public sealed class OpenLoopLoad(Uri baseAddress)
{
    public async Task<OpenLoopResult> RunAsync(double rate, TimeSpan duration, string tag, CancellationToken cancellation) =>
        (await RunSamplesAsync(rate, duration, i => $"{tag}-{i}", cancellation)).Summarize();

    /// <param name="nodeRunId">The id of request i; every one must be new (a repeated id is a replay, not a run).</param>
    public async Task<OpenLoopSamples> RunSamplesAsync(double rate, TimeSpan duration, Func<int, string> nodeRunId, CancellationToken cancellation)
    {
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = 512,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

        var count = (int)(rate * duration.TotalSeconds);
        var due = new long[count];
        var sentAt = new long[count];
        var doneAt = new long[count];
        var succeeded = new bool[count];
        var inFlight = new Task[count];
        var period = Stopwatch.Frequency / rate;

        // A dedicated thread: the thread pool is busy completing the answers and must not delay the next send.
        var dispatcher = new Thread(() =>
        {
            var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;
            for (var i = 0; i < count && !cancellation.IsCancellationRequested; i++)
            {
                due[i] = start + (long)(i * period);
                PreciseSleep.Until(due[i]);
                inFlight[i] = SendAsync(client, nodeRunId(i), i, sentAt, doneAt, succeeded);
            }
        }) { IsBackground = true, Priority = ThreadPriority.AboveNormal, Name = "open-loop dispatcher" };
        dispatcher.Start();
        await Task.Run(dispatcher.Join, cancellation);
        cancellation.ThrowIfCancellationRequested();
        await Task.WhenAll(inFlight);

        return new OpenLoopSamples(rate, due, sentAt, doneAt, succeeded);
    }

    private static async Task SendAsync(HttpClient client, string nodeRunId, int i, long[] sentAt, long[] doneAt, bool[] succeeded)
    {
        sentAt[i] = Stopwatch.GetTimestamp();
        try
        {
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(RequestBodies.Echo(nodeRunId)));
            content.Headers.ContentType = new("application/json");
            using var response = await client.PostAsync(RequestBodies.ExecutePath, content);
            var body = await response.Content.ReadAsStringAsync();
            succeeded[i] = response.IsSuccessStatusCode && body.Contains("\"state\":\"succeeded\"", StringComparison.Ordinal);
        }
        catch (HttpRequestException) { }
        catch (TaskCanceledException) { }
        doneAt[i] = Stopwatch.GetTimestamp();
    }
}
