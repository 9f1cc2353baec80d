using System.Globalization;

namespace Jarvis.Benchmarks;

public readonly record struct MetricsSample(long Timestamp, double InFlight, double SleepSucceeded);

/// <summary>Reads the executor's Prometheus text: runs in flight and succeeded sleep runs.</summary>
public static class ExecutorMetrics
{
    private const string SleepSucceeded = "jarvis_runs_finished_total{node_type_id=\"jarvis.core.sleep\",state=\"succeeded\",";

    public static async Task<MetricsSample> ReadAsync(HttpClient client, CancellationToken cancellation)
    {
        var text = await client.GetStringAsync("/metrics", cancellation);
        var at = System.Diagnostics.Stopwatch.GetTimestamp();
        double inFlight = 0, succeeded = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("jarvis_runs_in_flight ", StringComparison.Ordinal)) inFlight = Value(line);
            else if (line.StartsWith(SleepSucceeded, StringComparison.Ordinal)) succeeded += Value(line);
        }
        return new MetricsSample(at, inFlight, succeeded);
    }

    /// <summary><c>jarvis_remembered_bytes</c>: the estimated bytes of the results kept for replays.</summary>
    public static async Task<long> RememberedBytesAsync(HttpClient client, CancellationToken cancellation)
    {
        var text = await client.GetStringAsync("/metrics", cancellation);
        foreach (var line in text.Split('\n'))
            if (line.StartsWith("jarvis_remembered_bytes ", StringComparison.Ordinal)) return (long)Value(line);
        throw new InvalidOperationException("/metrics has no jarvis_remembered_bytes");
    }

    private static double Value(string line) => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
}
