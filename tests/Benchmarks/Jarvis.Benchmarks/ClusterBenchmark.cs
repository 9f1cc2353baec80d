namespace Jarvis.Benchmarks;

/// <summary>The cluster rows, reported and never asserted. C1: echo throughput and latency through nginx in front of one
/// executor (cluster mode off), of a one-node cluster, and of a three-node cluster, with the same wrk and connections
/// as row 1. C2: the cost of the cross-node hop, on one instance of that three-node cluster addressed directly: an open
/// loop alternating ids whose shard that instance owns (local) with ids owned by another instance (remote).</summary>
public sealed class ClusterBenchmark(BenchOptions options, string workDirectory, Wrk wrk, ReportSection report)
{
    private static readonly TimeSpan EchoTimeout = TimeSpan.FromSeconds(10);
    private readonly Dictionary<string, string> _infoLogging = new() { ["LOG_LEVEL"] = "info" };
    private readonly string _nginx = Nginx.Version();

    public async Task RunAsync(CancellationToken cancellation)
    {
        report.Setup.Add($"load balancer (rows C1): {_nginx}, 1 worker process, round robin, keep-alive connections to the upstreams, " +
                         "the same configuration whatever the number of upstreams; every executor LOG_LEVEL=info, auth off, no concurrency cap");
        BalancedResult? single = null, oneNode = null, three = null;
        await PhaseAsync("C1", "echo through nginx, 1 executor (cluster mode off)", async () =>
        {
            using var executor = await ServerProcess.StartExecutorAsync(options, workDirectory, "executor-single", _infoLogging, cancellation);
            single = await BalancedEchoAsync("C1", "1 executor, cluster mode off", [executor], clustered: false, cancellation);
        }, cancellation);
        await PhaseAsync("C1", "echo through nginx, one-node cluster", async () =>
        {
            using var cluster = await ExecutorCluster.StartAsync(options, workDirectory, "cluster1", 1, _infoLogging, cancellation);
            oneNode = await BalancedEchoAsync("C1", "1 executor in cluster mode (a one-node cluster, JARVIS_CLUSTER_SELF_JOIN=true)",
                cluster.Nodes, clustered: true, cancellation);
        }, cancellation);
        await PhaseAsync("C1", $"echo through nginx, {options.ClusterSize}-node cluster", async () =>
        {
            using var cluster = await ExecutorCluster.StartAsync(options, workDirectory, $"cluster{options.ClusterSize}", options.ClusterSize,
                _infoLogging, cancellation);
            Console.Error.WriteLine($"  cluster of {options.ClusterSize} formed in {Format.Seconds(cluster.FormedAfter)}");
            three = await BalancedEchoAsync("C1", $"{options.ClusterSize} executors in one cluster (round robin)", cluster.Nodes, clustered: true, cancellation);
            // After the balanced load every shard has a home, spread over the nodes; nginx is stopped, so the
            // instance probed and measured next receives nothing else.
            await PhaseAsync("C2", "cross-node hop: local vs remote owner", () => HopAsync(cluster, cancellation), cancellation);
        }, cancellation);
        AddScaling(single, oneNode, three);
    }

    private Task PhaseAsync(string id, string name, Func<Task> phase, CancellationToken cancellation) =>
        Phase.RunAsync(report, id, name, phase, cancellation);

    private sealed record BalancedResult(WrkResult Wrk, int Executors);

    /// <summary>wrk through a fresh nginx in front of <paramref name="executors"/>: a warm-up, then the measured run
    /// (the same durations, threads and connections as row 1). The executors' and nginx's CPU during the measured run and,
    /// in cluster mode, how the executes were routed, go into the row.</summary>
    private async Task<BalancedResult> BalancedEchoAsync(string id, string what, IReadOnlyList<ServerProcess> executors,
        bool clustered, CancellationToken cancellation)
    {
        using var nginx = await Nginx.StartAsync(executors.Select(e => e.BaseAddress).ToList(), workDirectory,
            $"nginx-for-{executors[0].Name}", cancellation);
        await wrk.RunAsync(nginx.BaseAddress, RequestBodies.EchoSuffix, options.WrkThreads, options.EchoConnections, options.WarmUp,
            EchoTimeout, cancellation);

        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        var routedBefore = clustered ? await RoutedAsync(client, executors, cancellation) : default;
        var cpuBefore = (Executors: executors.Sum(e => ProcessCpu.Time(e.Pid).TotalSeconds), Nginx: nginx.CpuTime.TotalSeconds);
        var result = await wrk.RunAsync(nginx.BaseAddress, RequestBodies.EchoSuffix, options.WrkThreads, options.EchoConnections,
            options.ThroughputDuration, EchoTimeout, cancellation);
        var seconds = result.Duration.TotalSeconds;
        var executorCores = (executors.Sum(e => ProcessCpu.Time(e.Pid).TotalSeconds) - cpuBefore.Executors) / seconds;
        var nginxCores = (nginx.CpuTime.TotalSeconds - cpuBefore.Nginx) / seconds;

        var routing = "";
        if (clustered)
        {
            var routed = await RoutedAsync(client, executors, cancellation) - routedBefore;
            var total = routed.Local + routed.Remote;
            routing = total > 0
                ? $" · owner of the runs: local {routed.Local / total * 100:0}%, remote {routed.Remote / total * 100:0}% (`jarvis_runs_routed_total`, all instances)"
                : " · no run counted in `jarvis_runs_routed_total`";
        }
        report.Add(new ReportRow(id,
            $"echo through nginx → {what}; " +
            $"wrk {options.WrkThreads} threads, {options.EchoConnections} connections, {Format.Seconds(result.Duration)}",
            $"{Format.Rate(result.RequestsPerSecond)} · p50 {Format.Ms(result.P50)} · p99 {Format.Ms(result.P99)}{Benchmark.Problems(result)} · " +
            $"CPU: executor{(executors.Count > 1 ? "s" : "")} {executorCores:0.00} cores " +
            $"({executorCores * 1000 / result.RequestsPerSecond:0.000} ms per request), nginx {nginxCores:0.00} cores{routing}"));
        return new BalancedResult(result, executors.Count);
    }

    private static async Task<RoutedCounts> RoutedAsync(HttpClient client, IReadOnlyList<ServerProcess> executors, CancellationToken cancellation)
    {
        var sum = new RoutedCounts(0, 0);
        foreach (var executor in executors) sum += await RoutedCounts.ReadAsync(client, executor.BaseAddress, cancellation);
        return sum;
    }

    private void AddScaling(BalancedResult? single, BalancedResult? oneNode, BalancedResult? three)
    {
        if (three is null || (single is null && oneNode is null)) return;
        string Versus(BalancedResult? one, string name) => one is null ? $"— vs {name}" :
            $"{Format.Ratio(three.Wrk.RequestsPerSecond / one.Wrk.RequestsPerSecond)} vs {name} " +
            $"(p99 {Format.Ms(three.Wrk.P99)} vs {Format.Ms(one.Wrk.P99)})";
        report.Add(new ReportRow("C1", $"throughput {three.Executors} instances / 1 instance, both behind the same nginx",
            $"{Versus(single, "1 executor, cluster mode off")} · {Versus(oneNode, "a one-node cluster")}; " +
            $"all of them share the machine's {MachineInfo.Cores} cores with nginx and wrk"));
    }

    /// <summary>Row C2. The instance's shards are classified first (one probe per shard, <see cref="ShardOwnership"/>);
    /// then an open loop at a fixed moderate rate straight to that instance sends fresh ids, even requests from its
    /// own shards and odd ones from the others' shards, so both series share the same moments of the machine. The
    /// routed counters are read around the measured run to check that ownership did not move meanwhile.</summary>
    private async Task HopAsync(ExecutorCluster cluster, CancellationToken cancellation)
    {
        var target = cluster.Nodes[Math.Min(1, cluster.Nodes.Count - 1)];
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        var tag = $"hop{Environment.ProcessId}";
        var owners = await ShardOwnership.ProbeAsync(client, target.BaseAddress, $"{tag}-probe", cancellation);
        Console.Error.WriteLine($"  {target.Name} owns {owners.LocalShards} of {ShardOwnership.ShardCount} shards");

        var load = new OpenLoopLoad(target.BaseAddress);
        async Task<OpenLoopSamples> RunAsync(string series, TimeSpan duration)
        {
            var half = (int)Math.Ceiling(options.HopRate * duration.TotalSeconds / 2) + 1;
            var local = owners.Ids($"{tag}-{series}-local", half, local: true);
            var remote = owners.Ids($"{tag}-{series}-remote", half, local: false);
            return await load.RunSamplesAsync(options.HopRate, duration, i => i % 2 == 0 ? local[i / 2] : remote[i / 2], cancellation);
        }

        await RunAsync("warmup", options.HopWarmUp);
        var before = await RoutedCounts.ReadAsync(client, target.BaseAddress, cancellation);
        var samples = await RunAsync("measured", options.HopDuration);
        var routed = await RoutedCounts.ReadAsync(client, target.BaseAddress, cancellation) - before;
        var localResult = samples.Summarize(i => i % 2 == 0);
        var remoteResult = samples.Summarize(i => i % 2 == 1);

        // the routed counters must have moved exactly as the classification predicted
        var held = routed.Local == localResult.Requests && routed.Remote == remoteResult.Requests;
        var check = held
            ? $"the routed counters agree: +{Format.Count(routed.Local)} local, +{Format.Count(routed.Remote)} remote"
            : $"**ownership moved during the run**: routed counters +{Format.Count(routed.Local)} local, +{Format.Count(routed.Remote)} remote " +
              $"for {Format.Count(localResult.Requests)} local and {Format.Count(remoteResult.Requests)} remote ids";
        var how = $"{target.Name} of the {cluster.Nodes.Count}-node cluster directly (no nginx); open loop at a constant " +
                  $"{Format.Rate(options.HopRate)} for {Format.Seconds(options.HopDuration)} (after {Format.Seconds(options.HopWarmUp)} of warm-up), " +
                  $"fresh ids alternating";
        report.Add(new ReportRow("C2",
            $"local owner: {how}; the ids whose shard this instance owns ({owners.LocalShards} of {ShardOwnership.ShardCount} shards)",
            HopFigures(localResult)));
        report.Add(new ReportRow("C2",
            $"remote owner: the same run's other ids, whose shard another instance owns ({ShardOwnership.ShardCount - owners.LocalShards} shards)",
            HopFigures(remoteResult)));
        report.Add(new ReportRow("C2", "cross-node hop cost: remote − local, latency from each request's scheduled send time",
            $"p50 {Signed(remoteResult.FromSchedule.P50 - localResult.FromSchedule.P50)} · " +
            $"p99 {Signed(remoteResult.FromSchedule.P99 - localResult.FromSchedule.P99)} · {check}"));
    }

    private static string HopFigures(OpenLoopResult result)
    {
        var unexpected = result.Unexpected > 0 ? $" · **{Format.Count(result.Unexpected)} answers not succeeded**" : "";
        return $"p50 {Format.Ms(result.FromSchedule.P50)} · p99 {Format.Ms(result.FromSchedule.P99)} · max {Format.Ms(result.FromSchedule.Max)} " +
               $"({Format.Count(result.Requests)} requests at {Format.Rate(result.AchievedRate)}; from actual send p50 {Format.Ms(result.FromSend.P50)}, " +
               $"p99 {Format.Ms(result.FromSend.P99)}; sender lateness p99 {Format.Ms(result.SendLateness.P99)}){unexpected}";
    }

    private static string Signed(TimeSpan t) => t < TimeSpan.Zero ? $"−{Format.Ms(-t)}" : $"+{Format.Ms(t)}";
}
