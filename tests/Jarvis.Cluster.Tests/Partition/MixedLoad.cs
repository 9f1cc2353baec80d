using System.Diagnostics;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Cluster.Tests.Partition;

/// <summary>
/// Bounded mixed load through the balancer from a fixed number of client loops, each waiting for its answer before
/// its next request (so the load never outgrows what the cluster answers): echoes with fresh ids, 1-3 s sleeps under
/// a 6 s wall-time budget, some canceled after 0.5 s, and duplicates (the same body, so they join or replay it): half
/// of an id sent shortly before (it may still run, maybe on the other side of the partition), half of any id sent so
/// far (whose remembered result may have gone with C, so that it runs again elsewhere).
/// </summary>
internal sealed class MixedLoad(ExchangeRecorder recorder, HttpClient balancer, Stopwatch clock)
{
    public static readonly TimeSpan EchoDeadline = TimeSpan.FromSeconds(10);   // no budget of its own: the test's choice
    public static readonly TimeSpan SleepDeadline = TimeSpan.FromSeconds(6);
    public static readonly TimeSpan CancelDeadline = TimeSpan.FromSeconds(10); // the executor gives a cancel 5 s to reach its run
    private static readonly TimeSpan CancelAfter = TimeSpan.FromMilliseconds(500);
    private const double EchoShare = 0.45, SleepShare = 0.35; // the rest are duplicates
    private const double CanceledSleepShare = 0.3;
    private const int RecentIds = 48;
    private const string Route = "lb";

    /// <summary>A caller refused (or left without an answer) waits this long before its next request, as a coordinator
    /// backs off: instant refusals must not turn the bounded load into a flood.</summary>
    private static readonly TimeSpan BackOff = TimeSpan.FromMilliseconds(250);

    private readonly List<(string Id, string Json, TimeSpan Deadline)> _sent = [];

    /// <summary>Runs <paramref name="clients"/> loops until the clock reads <paramref name="until"/>; requests in
    /// flight then finish (each is bounded by its deadline).</summary>
    public Task RunAsync(int clients, TimeSpan until) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(() => LoopAsync(client, until))));

    private async Task LoopAsync(int client, TimeSpan until)
    {
        var random = new Random(client * 7919 + Environment.TickCount);
        while (clock.Elapsed < until)
        {
            var roll = random.NextDouble();
            var answer = roll < EchoShare ? await EchoAsync(client)
                : roll < EchoShare + SleepShare ? await SleepAsync(client, random)
                : PickSentBefore(random) is { } original ? await DuplicateAsync(original)
                : await EchoAsync(client); // nothing sent yet to duplicate
            if (answer.Status is not (>= 200 and < 300)) await Task.Delay(BackOff);
        }
    }

    private async Task<Exchange> EchoAsync(int client)
    {
        var id = ExecuteRequests.NewId($"p{client}-echo");
        var json = ExecuteRequests.Echo($"hello from client {client}", id);
        Remember(id, json, EchoDeadline);
        return await recorder.ExecuteAsync(balancer, Route, Exchange.Echo, id, json, EchoDeadline);
    }

    private async Task<Exchange> SleepAsync(int client, Random random)
    {
        var id = ExecuteRequests.NewId($"p{client}-sleep");
        var seconds = Math.Round(1 + 2 * random.NextDouble(), 1);
        var json = ExecuteRequests.Sleep(seconds, id, maxWallTimeMs: (long)SleepDeadline.TotalMilliseconds);
        Remember(id, json, SleepDeadline);
        var execute = recorder.ExecuteAsync(balancer, Route, Exchange.Sleep, id, json, SleepDeadline);
        if (random.NextDouble() < CanceledSleepShare)
        {
            // paired with this execute by the id, which only this sleep (and duplicates of it) carries
            await Task.WhenAny(execute, Task.Delay(CancelAfter));
            if (!execute.IsCompleted) await recorder.CancelAsync(balancer, Route, id, CancelDeadline);
        }
        return await execute;
    }

    private Task<Exchange> DuplicateAsync((string Id, string Json, TimeSpan Deadline) original) =>
        recorder.ExecuteAsync(balancer, Route, Exchange.Duplicate, original.Id, original.Json, original.Deadline);

    private void Remember(string id, string json, TimeSpan deadline)
    {
        lock (_sent) _sent.Add((id, json, deadline));
    }

    private (string Id, string Json, TimeSpan Deadline)? PickSentBefore(Random random)
    {
        lock (_sent)
        {
            if (_sent.Count == 0) return null;
            var from = random.Next(2) == 0 ? Math.Max(0, _sent.Count - RecentIds) : 0;
            return _sent[random.Next(from, _sent.Count)];
        }
    }
}
