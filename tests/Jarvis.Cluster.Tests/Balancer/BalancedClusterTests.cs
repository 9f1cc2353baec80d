using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;
using Jarvis.Cluster.Tests.Processes;

namespace Jarvis.Cluster.Tests.Balancer;

/// <summary>Three clustered executors behind nginx (round robin), as an operator would run them: a few thousand
/// requests of every kind through the balancer, each answered and schema-valid, cancels effective and duplicates
/// sharing one result whichever instances the balancer picked.</summary>
public sealed class BalancedClusterTests(ITestOutputHelper output)
{
    private const int MinEchoes = 2_000;
    private const int MaxEchoes = 50_000;     // the echo load runs until the other workloads are done; never beyond this
    private const int EchoConcurrency = 32;
    private const int SleepCancels = 40;      // sleeps canceled while running
    private const int EarlyCancels = 20;      // cancels sent before their execute
    private const int ReplayedIds = 100;      // uuid4 runs sent twice at once, then once more
    private const int JoinedIds = 30;         // 2 s sleeps sent three times at once
    private static readonly TimeSpan RequestBound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CancelBound = TimeSpan.FromSeconds(10);

    /// <summary>One request through nginx and what came back (or the exception instead of an answer).</summary>
    private sealed record Exchange(string Kind, string Id, HttpStatusCode? Status, string? MediaType, string Body, string? Lost);

    private readonly ConcurrentQueue<Exchange> _exchanges = new();
    private readonly ConcurrentQueue<string> _failures = new();

    [Fact]
    public async Task Through_nginx_every_request_is_answered_and_valid_cancels_take_effect_and_duplicates_share_one_result()
    {
        NginxBalancer.FindExecutable(); // fails at once, not after the cluster started, when nginx is missing
        await using var cluster = await ExecutorCluster.StartAsync(output);
        await using var nginx = await NginxBalancer.StartAsync(cluster.Instances.Select(i => i.BaseAddress));
        output.WriteLine($"{nginx}");
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 128 })
        {
            BaseAddress = nginx.BaseAddress,
            Timeout = RequestBound,
        };
        var routedBefore = await RoutedAsync(cluster);
        var clock = Stopwatch.StartNew();

        // Phase 1, all at once: the echo load, sleeps canceled while they run, cancels before their execute, replays.
        var othersDone = new CancellationTokenSource();
        var cancelLatencies = new ConcurrentBag<double>();
        var echoes = 0;
        var echoLoad = Task.WhenAll(Enumerable.Range(0, EchoConcurrency).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var n = Interlocked.Increment(ref echoes);
                if (n > MaxEchoes || (n > MinEchoes && othersDone.IsCancellationRequested))
                {
                    Interlocked.Decrement(ref echoes);
                    return;
                }
                var text = $"echo-{n}-{Guid.NewGuid():N}";
                var answer = await ExecuteAsync(client, "echo", ExecuteRequests.Echo(text, ExecuteRequests.NewId("lb-echo")));
                Check(answer, () => Assert.Equal(text, State(answer, "succeeded")["outputs"]!["echo"]!.GetValue<string>()));
            }
        })));
        var others = Task.WhenAll(
            Task.Run(() => SleepCancelsAsync(cluster, client, cancelLatencies)),
            Task.Run(() => EarlyCancelsAsync(client)),
            Task.Run(() => ReplaysAsync(client)));
        await others.CompletesWithin(TimeSpan.FromMinutes(5), "the cancel and replay workloads");
        othersDone.Cancel();
        await echoLoad.CompletesWithin(TimeSpan.FromMinutes(5), "the echo load");
        var phase1 = clock.Elapsed;

        // Phase 2: joins (sleeps, which phase 1's located sleep runs must not overlap).
        var startedSleepsBefore = (await ExecutorCluster.StartedCountsAsync(cluster.Instances, "jarvis.core.sleep")).Sum();
        await JoinsAsync(client).CompletesWithin(TimeSpan.FromMinutes(2), "the joined duplicates");
        var startedSleeps = (await ExecutorCluster.StartedCountsAsync(cluster.Instances, "jarvis.core.sleep")).Sum() - startedSleepsBefore;

        // Every answer, schema-checked after the load (the checks are not what is being measured).
        var exchanges = _exchanges.ToList();
        foreach (var exchange in exchanges) await ValidateAsync(exchange);
        var lost = exchanges.Where(e => e.Lost is not null).ToList();
        var byKind = exchanges.GroupBy(e => e.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}");
        output.WriteLine($"{exchanges.Count} requests through nginx ({string.Join(", ", byKind)}); {echoes} echoes in phase 1 " +
            $"({phase1.TotalSeconds:0.0} s, {echoes / phase1.TotalSeconds:0} echo/s under the mixed load); total {clock.Seconds()}");
        var latencies = cancelLatencies.OrderBy(x => x).ToList();
        if (latencies.Count > 0)
            output.WriteLine($"cancel -> canceled answer: p50 {latencies[latencies.Count / 2]:0.0} ms, max {latencies[^1]:0.0} ms over {latencies.Count}");

        // Spread: nginx's own log of upstreams, and each instance's routing counters.
        var upstreams = nginx.UpstreamLog.GroupBy(a => a).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"nginx upstreams: {string.Join(", ", upstreams.Select(u => $"{u.Key} {u.Value}"))}");
        var routedAfter = await RoutedAsync(cluster);
        for (var i = 0; i < cluster.Instances.Count; i++)
            output.WriteLine($"{cluster[i].Name}: routed local +{routedAfter[i].Local - routedBefore[i].Local}, " +
                $"remote +{routedAfter[i].Remote - routedBefore[i].Remote}");

        Assert.True(lost.Count == 0, $"{lost.Count} requests got no answer, e.g.: {string.Join("; ", lost.Take(5).Select(l => $"{l.Kind} {l.Id}: {l.Lost}"))}");
        Assert.True(_failures.IsEmpty, $"{_failures.Count} wrong answers, e.g.:\n  {string.Join("\n  ", _failures.Take(10))}");
        Assert.True(echoes >= MinEchoes, $"only {echoes} echoes were sent");
        Assert.Equal(JoinedIds, startedSleeps);
        Assert.Equal(SleepCancels, latencies.Count);

        foreach (var instance in cluster.Instances)
        {
            var proxied = upstreams.GetValueOrDefault($"127.0.0.1:{instance.HttpPort}");
            Assert.True(proxied >= exchanges.Count / 4, $"nginx sent {instance.Name} only {proxied} of {exchanges.Count} requests");
        }
        var routed = Enumerable.Range(0, cluster.Instances.Count).Select(i => (
            Local: routedAfter[i].Local - routedBefore[i].Local, Remote: routedAfter[i].Remote - routedBefore[i].Remote)).ToList();
        Assert.All(routed, r => Assert.True(r.Local + r.Remote >= echoes / 5,
            $"an instance routed only {r.Local + r.Remote} runs of {echoes} echoes: [{string.Join(", ", routed)}]"));
        Assert.True(routed.Sum(r => r.Local) > 0 && routed.Sum(r => r.Remote) > 0,
            $"runs were not both run locally and forwarded to their owners: [{string.Join(", ", routed)}]");
        Assert.True(routed.Sum(r => r.Local + r.Remote) >= echoes, $"fewer runs routed than echoes sent ({echoes}): [{string.Join(", ", routed)}]");
    }

    /// <summary>A sleep through nginx, seen running on some instance, canceled through nginx: it answers canceled.</summary>
    private async Task SleepCancelsAsync(ExecutorCluster cluster, HttpClient client, ConcurrentBag<double> latencies)
    {
        for (var k = 0; k < SleepCancels; k++)
        {
            var id = ExecuteRequests.NewId("lb-cancel");
            var request = ExecuteRequests.Sleep(120, id);
            var (_, execute) = await cluster.SendAndLocateAsync(() => ExecuteAsync(client, "sleep-canceled", request), "jarvis.core.sleep",
                $"sleep {id} through nginx");
            var clock = Stopwatch.StartNew();
            var cancel = await CancelAsync(client, "cancel", id);
            Check(cancel, () => Assert.Equal(HttpStatusCode.NoContent, cancel.Status));
            var answered = await execute.Within(CancelBound, $"the canceled sleep {id}");
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            Check(answered, () => Assert.Equal("canceled", State(answered, "canceled")["error"]!["code"]!.GetValue<string>()));
        }
    }

    /// <summary>A cancel through nginx before any execute of its id: the executes that follow (through whichever
    /// instances) answer the same canceled result without running.</summary>
    private async Task EarlyCancelsAsync(HttpClient client)
    {
        for (var k = 0; k < EarlyCancels; k++)
        {
            var id = ExecuteRequests.NewId("lb-early");
            var cancel = await CancelAsync(client, "cancel-early", id);
            Check(cancel, () => Assert.Equal(HttpStatusCode.NoContent, cancel.Status));
            var first = await ExecuteAsync(client, "execute-after-cancel", ExecuteRequests.Sleep(120, id)).Within(CancelBound, $"early-canceled {id}");
            var second = await ExecuteAsync(client, "execute-after-cancel", ExecuteRequests.Sleep(120, id)).Within(CancelBound, $"early-canceled {id}");
            Check(second, () => ClusterWideRunTests.AssertSameResult(State(first, "canceled"), State(second, "canceled")));
        }
    }

    /// <summary>A uuid4 run sent twice at once, then once more after both answered: one result (a rerun would have
    /// another uuid).</summary>
    private async Task ReplaysAsync(HttpClient client)
    {
        var ids = new ConcurrentQueue<int>(Enumerable.Range(0, ReplayedIds));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while (ids.TryDequeue(out var _))
            {
                var request = ExecuteRequests.For("jarvis.core.uuid4", new JsonObject(), ExecuteRequests.NewId("lb-replay"));
                var pair = await Task.WhenAll(ExecuteAsync(client, "duplicate", request), ExecuteAsync(client, "duplicate", request));
                var third = await ExecuteAsync(client, "duplicate", request);
                Check(third, () =>
                {
                    var first = State(pair[0], "succeeded");
                    ClusterWideRunTests.AssertSameResult(first, State(pair[1], "succeeded"));
                    ClusterWideRunTests.AssertSameResult(first, State(third, "succeeded"));
                });
            }
        }));
    }

    /// <summary>2 s sleeps sent three times at once: the three answers are one run's result (the started counters
    /// show one run per id).</summary>
    private Task JoinsAsync(HttpClient client) => Task.WhenAll(Enumerable.Range(0, JoinedIds).Select(async _ =>
    {
        var request = ExecuteRequests.Sleep(2, ExecuteRequests.NewId("lb-join"));
        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ExecuteAsync(client, "joined", request)));
        Check(answers[0], () =>
        {
            var first = State(answers[0], "succeeded");
            foreach (var other in answers.Skip(1)) ClusterWideRunTests.AssertSameResult(first, State(other, "succeeded"));
        });
    }));

    private async Task<Exchange> ExecuteAsync(HttpClient client, string kind, string request)
    {
        var id = JsonNode.Parse(request)!["node_run_id"]!.GetValue<string>();
        return Record(await SendAsync(kind, id, () => client.PostJsonAsync(ExecuteRequests.ExecutePath, request)));
    }

    private async Task<Exchange> CancelAsync(HttpClient client, string kind, string id) =>
        Record(await SendAsync(kind, id, () => client.CancelAsync(id)));

    private static async Task<Exchange> SendAsync(string kind, string id, Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            using var response = await send();
            return new Exchange(kind, id, response.StatusCode, response.Content.Headers.ContentType?.MediaType,
                await response.Content.ReadAsStringAsync(), null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new Exchange(kind, id, null, null, "", $"{e.GetType().Name}: {e.Message}");
        }
    }

    private Exchange Record(Exchange exchange)
    {
        _exchanges.Enqueue(exchange);
        return exchange;
    }

    /// <summary>The answer's result, asserting it is a 200 result in <paramref name="state"/>.</summary>
    private static JsonNode State(Exchange exchange, string state)
    {
        Assert.True(exchange.Status == HttpStatusCode.OK, $"{exchange.Kind} {exchange.Id}: {(int?)exchange.Status} {exchange.Body}");
        var result = JsonNode.Parse(exchange.Body)!;
        Assert.True(result["state"]?.GetValue<string>() == state, $"{exchange.Kind} {exchange.Id}: expected {state}: {exchange.Body}");
        return result;
    }

    /// <summary>Runs an assertion on answers that came back; a failure is collected (the load goes on) and reported at the end.</summary>
    private void Check(Exchange exchange, Action assertion)
    {
        if (exchange.Lost is not null) return; // counted as lost
        try
        {
            assertion();
        }
        catch (Exception e) when (e is Xunit.Sdk.XunitException or System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
        {
            _failures.Enqueue($"{exchange.Kind} {exchange.Id}: {e.Message}");
        }
    }

    private async Task ValidateAsync(Exchange exchange)
    {
        if (exchange.Lost is not null) return;
        try
        {
            if (exchange.Kind.StartsWith("cancel", StringComparison.Ordinal))
            {
                Assert.Equal(HttpStatusCode.NoContent, exchange.Status);
                return;
            }
            Assert.True(exchange.Status == HttpStatusCode.OK, $"{(int?)exchange.Status}: {exchange.Body}");
            Assert.Equal("application/json", exchange.MediaType);
            await SpecSchemas.AssertValidAsync(SpecSchemas.ExecuteResult, exchange.Body);
            Assert.Equal(exchange.Id, JsonNode.Parse(exchange.Body)!["node_run_id"]!.GetValue<string>());
        }
        catch (Xunit.Sdk.XunitException e)
        {
            _failures.Enqueue($"{exchange.Kind} {exchange.Id}: {e.Message}");
        }
    }

    private static async Task<(double Local, double Remote)[]> RoutedAsync(ExecutorCluster cluster)
    {
        var scrapes = await Task.WhenAll(cluster.Instances.Select(i => i.MetricsAsync()));
        return scrapes.Select(m => (
            m.Value("jarvis_runs_routed_total{owner=\"local\"}") ?? 0,
            m.Value("jarvis_runs_routed_total{owner=\"remote\"}") ?? 0)).ToArray();
    }
}
