namespace Jarvis.Benchmarks;

/// <summary>One instance of a cluster, its shards classified (<see cref="ShardOwnership"/>), to which open-loop windows
/// send fresh ids alternating between shards it owns (local) and shards another instance owns (remote), so both kinds
/// meet the same moments of a shared machine.</summary>
public sealed class HopSeries
{
    private readonly IReadOnlyList<ServerProcess> _nodes;
    private readonly ShardOwnership _owners;
    private readonly string _tag;

    private HopSeries(IReadOnlyList<ServerProcess> nodes, ServerProcess target, ShardOwnership owners, string tag)
    {
        _nodes = nodes;
        Target = target;
        _owners = owners;
        _tag = tag;
    }

    public ServerProcess Target { get; }
    public int LocalShards => _owners.LocalShards;

    /// <summary>Classifies the shards of the second instance (one probe per shard). Nothing else may be sent to the
    /// cluster while its windows run.</summary>
    public static async Task<HopSeries> ProbeAsync(IReadOnlyList<ServerProcess> nodes, string tag, CancellationToken cancellation)
    {
        var target = nodes[Math.Min(1, nodes.Count - 1)];
        using var client = Client();
        var owners = await ShardOwnership.ProbeAsync(client, target.BaseAddress, $"{tag}-probe", cancellation);
        Console.Error.WriteLine($"  {target.Name} owns {owners.LocalShards} of {ShardOwnership.ShardCount} shards");
        return new HopSeries(nodes, target, owners, tag);
    }

    /// <summary>One open-loop window at <paramref name="rate"/>: the local and remote figures, how the routed counters
    /// moved, and the CPU the whole cluster used per request meanwhile.</summary>
    public async Task<HopWindow> RunAsync(string series, double rate, TimeSpan duration, CancellationToken cancellation)
    {
        using var client = Client();
        var half = (int)Math.Ceiling(rate * duration.TotalSeconds / 2) + 1;
        var local = _owners.Ids($"{_tag}-{series}-local", half, local: true);
        var remote = _owners.Ids($"{_tag}-{series}-remote", half, local: false);
        var before = await RoutedCounts.ReadAsync(client, Target.BaseAddress, cancellation);
        var cpuBefore = ClusterCpu();
        var samples = await new OpenLoopLoad(Target.BaseAddress).RunSamplesAsync(rate, duration,
            i => i % 2 == 0 ? local[i / 2] : remote[i / 2], cancellation);
        var cpu = ClusterCpu() - cpuBefore;
        var routed = await RoutedCounts.ReadAsync(client, Target.BaseAddress, cancellation) - before;
        return new HopWindow(samples.Summarize(i => i % 2 == 0), samples.Summarize(i => i % 2 == 1), routed, cpu / samples.Count);
    }

    private TimeSpan ClusterCpu() => _nodes.Aggregate(TimeSpan.Zero, (sum, node) => sum + ProcessCpu.Time(node.Pid));

    private static HttpClient Client() => new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
}

/// <param name="CpuPerRequest">CPU of every node of the cluster during the window ÷ the window's requests.</param>
public sealed record HopWindow(OpenLoopResult Local, OpenLoopResult Remote, RoutedCounts Routed, TimeSpan CpuPerRequest)
{
    /// <summary>The routed counters moved exactly as the shard classification predicted (ownership did not move).</summary>
    public bool OwnershipHeld => Routed.Local == Local.Requests && Routed.Remote == Remote.Requests;

    public bool AllSucceeded => Local.Unexpected == 0 && Remote.Unexpected == 0;

    /// <summary>Remote − local latency from each request's scheduled send time.</summary>
    public TimeSpan HopP50 => Remote.FromSchedule.P50 - Local.FromSchedule.P50;
    public TimeSpan HopP99 => Remote.FromSchedule.P99 - Local.FromSchedule.P99;
}
