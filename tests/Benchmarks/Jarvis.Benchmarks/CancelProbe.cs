using System.Diagnostics;
using System.Text;

namespace Jarvis.Benchmarks;

public sealed record CancelResult(int Cancels, int Canceled, int CanceledBeforeStart, int CancelNot204, Percentiles Latency);

/// <summary>Cancel → canceled: start a long sleep run, let it get going, cancel it, and time from sending the cancel to
/// receiving the execute call's <c>canceled</c> answer. A few runs at a time, as a coordinator would cancel a subtree.</summary>
public sealed class CancelProbe(Uri baseAddress)
{
    private static readonly TimeSpan LetItStart = TimeSpan.FromMilliseconds(50);
    private const int Parallel = 8;

    public async Task<CancelResult> RunAsync(int cancels, string tag, CancellationToken cancellation)
    {
        using var handler = new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 4 * Parallel };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var latencies = new long[cancels];
        var outcomes = new Outcome[cancels];
        var next = -1;
        var workers = Enumerable.Range(0, Parallel).Select(async _ =>
        {
            for (int i; (i = Interlocked.Increment(ref next)) < cancels;)
                (latencies[i], outcomes[i]) = await CancelOneAsync(client, $"{tag}-{i}", cancellation);
        });
        await Task.WhenAll(workers);
        return new CancelResult(cancels,
            outcomes.Count(o => o.Canceled), outcomes.Count(o => o.BeforeStart), outcomes.Count(o => !o.Cancel204),
            new Percentiles(latencies));
    }

    private readonly record struct Outcome(bool Canceled, bool BeforeStart, bool Cancel204);

    private static async Task<(long, Outcome)> CancelOneAsync(HttpClient client, string nodeRunId, CancellationToken cancellation)
    {
        var execute = ExecuteAsync(client, nodeRunId, cancellation);
        await Task.Delay(LetItStart, cancellation);
        var cancelSent = Stopwatch.GetTimestamp();
        using var cancel = await client.PostAsync(RequestBodies.CancelPath(nodeRunId), null, cancellation);
        var (body, answeredAt) = await execute;
        return (answeredAt - cancelSent, new Outcome(
            body.Contains("\"state\":\"canceled\"", StringComparison.Ordinal),
            body.Contains("before it was executed", StringComparison.Ordinal),
            (int)cancel.StatusCode == 204));
    }

    private static async Task<(string Body, long AnsweredAt)> ExecuteAsync(HttpClient client, string nodeRunId, CancellationToken cancellation)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(RequestBodies.Sleep(nodeRunId, 30)));
        content.Headers.ContentType = new("application/json");
        using var response = await client.PostAsync(RequestBodies.ExecutePath, content, cancellation);
        var body = await response.Content.ReadAsStringAsync(cancellation);
        return (body, Stopwatch.GetTimestamp());
    }
}
