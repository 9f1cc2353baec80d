using Jarvis.Tests.Shared;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Cluster.Tests.Processes;

/// <summary>N executor processes (the built <c>jarvis-atomic-executor.dll</c>) forming one Akka cluster on loopback:
/// each gets a free HTTP port and a free remoting port, the first instance is the only seed (it joins itself and
/// forms the cluster), and start-up returns once every instance's <c>/v1/health</c> reports N members up and none
/// unreachable. Every process is killed on dispose, and also when start-up fails midway.</summary>
public sealed class ExecutorCluster : IAsyncDisposable
{
    public static readonly TimeSpan DefaultFormationTimeout = TimeSpan.FromSeconds(120);

    private readonly List<ClusterInstance> _instances = [];
    private readonly ITestOutputHelper? _output;

    private ExecutorCluster(ITestOutputHelper? output) => _output = output;

    public IReadOnlyList<ClusterInstance> Instances => _instances;
    public ClusterInstance this[int index] => _instances[index];

    /// <summary>The instances not killed or terminated by the test.</summary>
    public IReadOnlyList<ClusterInstance> Running => _instances.Where(i => !i.Stopping).ToList();

    public string SeedAddress => _instances[0].Address;

    /// <summary>Starts <paramref name="size"/> instances and waits until they form one cluster.</summary>
    /// <param name="environment">More settings for every instance (e.g. <c>JARVIS_SHUTDOWN_GRACE_SECS</c>);
    /// the harness sets ARP_AUTH_PROFILE=dev-insecure and the JARVIS_CLUSTER_* variables.</param>
    /// <param name="output">Where each instance's last output lines are written on dispose (shown for failed tests).</param>
    /// <param name="tls">Mutual TLS on remoting: every instance gets a certificate of its own from this authority.</param>
    public static async Task<ExecutorCluster> StartAsync(ITestOutputHelper? output = null, int size = 3,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null, TestCertificates? tls = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var cluster = new ExecutorCluster(output);
        try
        {
            var clock = Stopwatch.StartNew();
            var clusterPorts = NginxSetup.FreeLoopbackPorts(size);
            var protocol = tls is null ? "akka.tcp" : "akka.ssl.tcp";
            var seeds = $"{protocol}://jarvis@127.0.0.1:{clusterPorts[0]}";
            for (var i = 0; i < size; i++)
            {
                var env = new Dictionary<string, string>
                {
                    ["ARP_AUTH_PROFILE"] = "dev-insecure",
                    ["JARVIS_CLUSTER_ENABLED"] = "true",
                    ["JARVIS_CLUSTER_HOSTNAME"] = "127.0.0.1",
                    ["JARVIS_CLUSTER_PORT"] = clusterPorts[i].ToString(CultureInfo.InvariantCulture),
                    ["JARVIS_CLUSTER_SEEDS"] = seeds,
                };
                foreach (var (key, value) in tls?.NodeEnvironment($"node-{i}") ?? []) env[key] = value;
                foreach (var (key, value) in environment ?? new Dictionary<string, string>()) env[key] = value;
                cluster._instances.Add(new ClusterInstance(i, ExecutorProcess.Start(env), clusterPorts[i], protocol));
            }

            var limit = timeout ?? DefaultFormationTimeout;
            await Task.WhenAll(cluster._instances.Select(i => i.Process.WaitUntilServingAsync(limit)));
            await cluster.WaitForMembersAsync(cluster._instances, size, limit - clock.Elapsed);
            output?.WriteLine($"cluster of {size} formed in {clock.Elapsed.TotalSeconds:0.0} s: " +
                string.Join(", ", cluster._instances.Select(i => i.Name)));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until every one of <paramref name="instances"/> reports exactly <paramref name="membersUp"/>
    /// members up and none unreachable, each through a schema-valid health answer whose <c>self</c> is its own
    /// address; fails with the last views (and the instances' output) when that does not happen in time.</summary>
    public async Task WaitForMembersAsync(IReadOnlyList<ClusterInstance> instances, int membersUp, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var last = "(no answer yet)";
        while (true)
        {
            foreach (var instance in instances)
                if (instance.HasExited)
                    throw new InvalidOperationException(
                        $"{instance.Name} exited with {instance.Process.Process.ExitCode} while the cluster formed:\n{instance.OutputTail(60)}");
            try
            {
                var views = await Task.WhenAll(instances.Select(i => i.ClusterViewAsync()));
                last = string.Join("; ", instances.Zip(views, (i, v) => $"{i.Name}: {v}"));
                for (var k = 0; k < instances.Count; k++)
                    Assert.True(views[k].Self == instances[k].Address,
                        $"{instances[k].Name} reports self {views[k].Self}, expected {instances[k].Address}: {views[k].Health}");
                if (views.All(v => v.MembersUp == membersUp && v.Unreachable == 0 && v.Status == "ok")) return;
            }
            catch (HttpRequestException e) { last = $"health not answered: {e.Message}"; }
            catch (TaskCanceledException e) { last = $"health not answered: {e.Message}"; }
            if (clock.Elapsed > timeout)
                throw new TimeoutException(
                    $"the cluster did not reach {membersUp} members up and 0 unreachable within {timeout.TotalSeconds:0} s; " +
                    $"last views: {last}\n{string.Join("\n", instances.Select(i => $"{i.Name}:\n{i.OutputTail(30)}"))}");
            await Task.Delay(100);
        }
    }

    /// <summary>How many runs of <paramref name="nodeTypeId"/> each instance started (its
    /// <c>jarvis_runs_started_total</c>), in the order of <paramref name="instances"/>.</summary>
    public static async Task<double[]> StartedCountsAsync(IReadOnlyList<ClusterInstance> instances, string nodeTypeId)
    {
        var scrapes = await Task.WhenAll(instances.Select(i => i.MetricsAsync()));
        return scrapes.Select(m => m.Value($"jarvis_runs_started_total{{node_type_id=\"{nodeTypeId}\"}}") ?? 0).ToArray();
    }

    /// <summary>Sends <paramref name="requestJson"/> (a run of <paramref name="nodeTypeId"/>) through
    /// <paramref name="via"/> and finds the instance whose handler started it, by its started-runs counter. No other
    /// run of that node type may start meanwhile. Fails if the execute is answered before its run is seen starting.</summary>
    public async Task<LocatedRun> StartAndLocateAsync(ClusterInstance via, string requestJson, string nodeTypeId,
        IReadOnlyList<ClusterInstance>? among = null, TimeSpan? timeout = null)
    {
        var (owner, execute) = await SendAndLocateAsync(() => via.Client.ExecuteAsync(requestJson), nodeTypeId, $"the execute through {via.Name}",
            among, timeout);
        return new LocatedRun(via, owner, execute);
    }

    /// <summary>Calls <paramref name="send"/> (an execute of a run of <paramref name="nodeTypeId"/>, by any route, e.g.
    /// through a load balancer) and finds the instance among <paramref name="among"/> (default: <see cref="Running"/>)
    /// whose handler started that run, by the instances' started-runs counters. No other run of that node type may
    /// start meanwhile. Fails if the execute is answered before its run is seen starting.</summary>
    public async Task<(ClusterInstance Owner, Task<T> Execute)> SendAndLocateAsync<T>(
        Func<Task<T>> send, string nodeTypeId, string what, IReadOnlyList<ClusterInstance>? among = null, TimeSpan? timeout = null)
    {
        var candidates = among ?? Running;
        var before = await StartedCountsAsync(candidates, nodeTypeId);
        var execute = send();
        var clock = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        while (true)
        {
            // answered before this scrape: then its start is in the counters (run metrics are recorded before the answer)
            var answered = execute.IsCompleted;
            var now = await StartedCountsAsync(candidates, nodeTypeId);
            var owners = Enumerable.Range(0, candidates.Count).Where(k => now[k] > before[k]).ToList();
            if (owners.Count > 1 || owners.Sum(k => now[k] - before[k]) > 1)
                throw new InvalidOperationException(
                    $"more than one {nodeTypeId} run started meanwhile (before [{string.Join(", ", before)}], now [{string.Join(", ", now)}])");
            if (owners.Count == 1) return (candidates[owners[0]], execute);
            if (answered)
            {
                var answer = await execute;
                var text = answer is HttpResponseMessage response
                    ? $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}"
                    : answer?.ToString();
                throw new AnsweredBeforeStartException($"{what} was answered before any instance started its run: {text}", answer);
            }
            if (clock.Elapsed > limit)
                throw new TimeoutException($"no instance started the run of {what} within {limit.TotalSeconds:0} s " +
                    $"(started counters: [{string.Join(", ", now)}])");
            await Task.Delay(20);
        }
    }

    /// <summary>Echoes with new ids through every running instance in turn, so that the shards they hit get homes on
    /// every instance (a shard is first placed where it is first asked for while the instances hold as many shards
    /// each). Afterwards a new id is run by whichever instance holds its shard, not mostly by the one it was sent
    /// through, as on a cluster that has served traffic for a while.</summary>
    public async Task SpreadShardsAsync(int echoes = 150)
    {
        var running = Running;
        for (var k = 0; k < echoes; k++)
        {
            var text = $"spread-{k}";
            var response = await running[k % running.Count].Client.ExecuteAsync(ExecuteRequests.Echo(text));
            var result = await HttpAssert.ResultAsync(response, "succeeded");
            Assert.Equal(text, result["outputs"]!["echo"]!.GetValue<string>());
        }
    }

    public async ValueTask DisposeAsync()
    {
        // kill first (all at once), then report what each printed
        await Task.WhenAll(_instances.Select(async i =>
        {
            try
            {
                await i.DisposeAsync();
            }
            catch (Exception e)
            {
                _output?.WriteLine($"{i.Name}: could not be stopped: {e.Message}");
            }
        }));
        if (_output is null) return;
        foreach (var instance in _instances)
        {
            try
            {
                _output.WriteLine($"=== {instance.Name} {instance.ExitSummary}; its last output:\n{instance.OutputTail(40)}");
            }
            catch (InvalidOperationException) { } // the output helper of a test that has already finished
        }
    }
}

/// <summary>A run in flight: the instance the execute went through, the instance running it, and the pending answer.</summary>
public sealed record LocatedRun(ClusterInstance Via, ClusterInstance Owner, Task<HttpResponseMessage> Execute);

/// <summary>An execute that was answered (e.g. refused) although no instance started its run.</summary>
public sealed class AnsweredBeforeStartException(string message, object? answer) : InvalidOperationException(message)
{
    public object? Answer { get; } = answer;

    public HttpResponseMessage Response => Answer as HttpResponseMessage
        ?? throw new InvalidOperationException($"the answer is not an HttpResponseMessage: {Answer}");
}
