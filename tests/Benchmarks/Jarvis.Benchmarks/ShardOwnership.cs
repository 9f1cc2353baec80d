using System.Globalization;
using Jarvis.Actors.Sharding;
using Jarvis.Actors.Supervision;

namespace Jarvis.Benchmarks;

/// <summary>An instance's <c>jarvis_runs_routed_total</c>: executes its HTTP layer received, by whether the run's shard
/// was owned by that instance (local) or by another one (remote).</summary>
public readonly record struct RoutedCounts(double Local, double Remote)
{
    public static RoutedCounts operator -(RoutedCounts a, RoutedCounts b) => new(a.Local - b.Local, a.Remote - b.Remote);
    public static RoutedCounts operator +(RoutedCounts a, RoutedCounts b) => new(a.Local + b.Local, a.Remote + b.Remote);

    public static async Task<RoutedCounts> ReadAsync(HttpClient client, Uri instance, CancellationToken cancellation)
    {
        var text = await client.GetStringAsync(new Uri(instance, "/metrics"), cancellation);
        double? local = null, remote = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("jarvis_runs_routed_total{owner=\"local\"} ", StringComparison.Ordinal)) local = Value(line);
            else if (line.StartsWith("jarvis_runs_routed_total{owner=\"remote\"} ", StringComparison.Ordinal)) remote = Value(line);
        }
        return local is null || remote is null
            ? throw new InvalidOperationException($"{instance}/metrics has no jarvis_runs_routed_total{{owner=\"local\"|\"remote\"}} (is cluster mode on?)")
            : new RoutedCounts(local.Value, remote.Value);
    }

    private static double Value(string line) => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
}

/// <summary>Which of the 100 shards (the executor's own <see cref="RunMessageExtractor"/>, so the benchmark agrees with
/// the cluster on every id) one instance owns, found by asking it: one echo per shard through that instance, and which
/// of its routed counters moved. While membership is stable every id of a shard is owned by the same node.</summary>
public sealed class ShardOwnership
{
    private readonly bool[] _local;

    private ShardOwnership(bool[] local) => _local = local;

    public static int ShardCount => RunMessageExtractor.ShardCount;

    /// <summary>What the shard region computes for a message about <paramref name="nodeRunId"/>.</summary>
    public static int ShardOf(string nodeRunId) => int.Parse(RunMessageExtractor.ShardOf(nodeRunId), CultureInfo.InvariantCulture);

    public int LocalShards => _local.Count(l => l);
    public bool IsLocal(string nodeRunId) => _local[ShardOf(nodeRunId)];

    /// <summary>Probes every shard through <paramref name="instance"/>, one at a time; nothing else may be sent to that
    /// instance meanwhile.</summary>
    public static async Task<ShardOwnership> ProbeAsync(HttpClient client, Uri instance, string tag, CancellationToken cancellation)
    {
        var probes = new string?[ShardCount];
        for (var (n, found) = (0, 0); found < ShardCount; n++)
        {
            var id = $"{tag}-{n}";
            var shard = ShardOf(id);
            if (probes[shard] is not null) continue;
            probes[shard] = id;
            found++;
        }
        var local = new bool[ShardCount];
        var before = await RoutedCounts.ReadAsync(client, instance, cancellation);
        for (var shard = 0; shard < ShardCount; shard++)
        {
            using var content = new StringContent(RequestBodies.Echo(probes[shard]!), System.Text.Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(new Uri(instance, RequestBodies.ExecutePath), content, cancellation);
            var body = await response.Content.ReadAsStringAsync(cancellation);
            if (!response.IsSuccessStatusCode || !body.Contains("\"state\":\"succeeded\"", StringComparison.Ordinal))
                throw new InvalidOperationException($"the probe of shard {shard} was answered {(int)response.StatusCode} {body}");
            var after = await RoutedCounts.ReadAsync(client, instance, cancellation);
            local[shard] = (after - before) switch
            {
                { Local: 1, Remote: 0 } => true,
                { Local: 0, Remote: 1 } => false,
                var moved => throw new InvalidOperationException(
                    $"the probe of shard {shard} moved the routed counters by local {moved.Local}, remote {moved.Remote} (expected one of them by 1)"),
            };
            before = after;
        }
        return new ShardOwnership(local);
    }

    /// <summary><paramref name="count"/> new ids (prefix-n, n counting from 0) whose shard is local, or remote, to the instance probed.</summary>
    public string[] Ids(string prefix, int count, bool local)
    {
        if ((local ? LocalShards : ShardCount - LocalShards) == 0)
            throw new InvalidOperationException($"the instance owns {(local ? "no" : "every")} shard, so there is no {(local ? "local" : "remote")} id");
        var ids = new string[count];
        for (var (n, found) = (0, 0); found < count; n++)
        {
            var id = $"{prefix}-{n}";
            if (IsLocal(id) == local) ids[found++] = id;
        }
        return ids;
    }
}
