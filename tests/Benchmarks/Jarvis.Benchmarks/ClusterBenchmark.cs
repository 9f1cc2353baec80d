using Jarvis.Tests.Shared;

namespace Jarvis.Benchmarks;

/// <summary>The cluster rows (issue 18), reported and never asserted. S1, S3, C1, C3: echo through nginx in front of one
/// executor, three independent executors, a one-node cluster and a three-node cluster, all running at once and
/// measured in interleaved rounds (<see cref="EchoRounds"/>), with the per-round ratios C3/S3 and C1/S1. C2: the
/// cross-node hop on the three-node cluster (<see cref="HopProbe"/>). C4: the sleep soak through nginx, one executor
/// against the three-node cluster (<see cref="BalancedSleepSoak"/>). C5: capacity projected from the CPU per request
/// (<see cref="CapacityProjection"/>). C6: the hop with mutual TLS on remoting against plain (<see cref="TlsHopRows"/>).</summary>
public sealed class ClusterBenchmark(BenchOptions options, string workDirectory, Wrk wrk, ReportSection report)
{
    private readonly Dictionary<string, string> _infoLogging = new() { ["LOG_LEVEL"] = "info" };

    public async Task RunAsync(CancellationToken cancellation)
    {
        report.Setup.Add($"load balancer: {Nginx.Version()}, round robin, keep-alive connections to the upstreams, the same configuration " +
                         $"whatever the number of upstreams; 1 worker process for the echo rows, {options.SoakNginxWorkers} for the sleep soak " +
                         "(C4); every executor LOG_LEVEL=info, auth off, no concurrency cap");
        var summaries = await EchoAsync(cancellation);
        await SoakAsync(cancellation);
        if (CapacityProjection.Row(summaries.GetValueOrDefault("S1"), summaries.GetValueOrDefault("C1"), summaries.GetValueOrDefault("C3")) is { } row)
            report.Add(row);
    }

    private Task PhaseAsync(string id, string name, Func<Task> phase, CancellationToken cancellation) =>
        Phase.RunAsync(report, id, name, phase, cancellation);

    /// <summary>The four echo setups started together (idle ones cost little CPU), the interleaved rounds and their rows,
    /// then the hop row on C3 with the other setups stopped. Every setup is stopped on the way out, whatever happens.</summary>
    private async Task<IReadOnlyDictionary<string, EchoSummary>> EchoAsync(CancellationToken cancellation)
    {
        var setups = new List<EchoSetup>();
        try
        {
            var size = options.ClusterSize;
            await StartAsync(setups, "S1", () => EchoSetup.StartIndependentAsync("S1", 1, options, workDirectory, _infoLogging, cancellation), cancellation);
            await StartAsync(setups, "S3", () => EchoSetup.StartIndependentAsync("S3", size, options, workDirectory, _infoLogging, cancellation), cancellation);
            await StartAsync(setups, "C1", () => EchoSetup.StartClusterAsync("C1", 1, options, workDirectory, _infoLogging, cancellation), cancellation);
            await StartAsync(setups, "C3", () => EchoSetup.StartClusterAsync("C3", size, options, workDirectory, _infoLogging, cancellation), cancellation);

            var windows = await new EchoRounds(options, wrk, report).RunAsync(setups, cancellation);
            var summaries = windows.Where(w => w.Value.Count > 0).ToDictionary(w => w.Key, w => new EchoSummary(w.Value));
            new EchoRoundRows(options, report).Add(setups, summaries);

            foreach (var other in setups.Where(s => s.Id != "C3")) other.Dispose(); // a quieter machine for the hop
            if (setups.FirstOrDefault(s => s.Id == "C3") is { } c3 && summaries.TryGetValue("C3", out var c3Summary))
            {
                await PhaseAsync("C2", "cross-node hop: local vs remote owner", () => HopAsync(c3, c3Summary, cancellation), cancellation);
                await PhaseAsync("C6", "cross-node hop: plain vs mutual TLS remoting", () => TlsHopAsync(c3, c3Summary, cancellation), cancellation);
            }
            return summaries;
        }
        finally
        {
            foreach (var setup in setups) setup.Dispose();
        }
    }

    private async Task StartAsync(List<EchoSetup> setups, string id, Func<Task<EchoSetup>> start, CancellationToken cancellation) =>
        await PhaseAsync(id, $"{id}: start executors and nginx", async () => setups.Add(await start()), cancellation);

    /// <summary>Half of C3's peak, as issue 18 asks, for one instance: the open loop goes to one node directly, so it
    /// gets half of that node's share of C3's median req/s (nginx spread it over the nodes).</summary>
    private Task HopAsync(EchoSetup c3, EchoSummary summary, CancellationToken cancellation)
    {
        var nodes = c3.Executors.Count;
        var rate = summary.RequestsPerSecond / nodes / 2;
        var origin = $"half of one node's share of C3's median {Format.Rate(summary.RequestsPerSecond)}: ÷ {nodes} ÷ 2; the other nodes get only " +
                     "the remote runs, so the cluster as a whole carries a sixth of C3's peak";
        return new HopProbe(options, report).RunAsync(c3.Executors, rate, origin, cancellation);
    }

    /// <summary>Row C6: a second three-node cluster with mutual TLS beside C3, the hop measured on both in turns.</summary>
    private async Task TlsHopAsync(EchoSetup c3, EchoSummary summary, CancellationToken cancellation)
    {
        using var certificates = new TestCertificates("jarvis benchmark cluster CA");
        using var tls = await ExecutorCluster.StartAsync(options, workDirectory, "C3-tls", c3.Executors.Count, _infoLogging, cancellation, certificates);
        var rate = summary.RequestsPerSecond / c3.Executors.Count / 2;
        await new TlsHopRows(options, report).RunAsync(c3.Executors, tls.Nodes, rate, "as C2", cancellation);
    }

    /// <summary>Row C4 on fresh processes (the echo setups are stopped by now): one executor first, then the cluster.</summary>
    private async Task SoakAsync(CancellationToken cancellation)
    {
        var soak = new BalancedSleepSoak(options, workDirectory, wrk, report);
        SleepSoakResult? single = null, clustered = null;
        await PhaseAsync("C4", "sleep soak through nginx, 1 executor (cluster mode off)", async () =>
        {
            using var executor = await ServerProcess.StartExecutorAsync(options, workDirectory, "soak-single", _infoLogging, cancellation);
            single = await soak.RunAsync("1 executor, cluster mode off", [executor], isTarget: false, cancellation);
        }, cancellation);
        await PhaseAsync("C4", $"sleep soak through nginx, {options.ClusterSize}-node cluster", async () =>
        {
            using var cluster = await ExecutorCluster.StartAsync(options, workDirectory, "soak-cluster", options.ClusterSize, _infoLogging, cancellation);
            clustered = await soak.RunAsync($"{options.ClusterSize} executors in one cluster", cluster.Nodes, isTarget: true, cancellation);
        }, cancellation);
        soak.AddRatio(single, clustered);
    }
}
