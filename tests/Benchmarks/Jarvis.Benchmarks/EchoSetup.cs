namespace Jarvis.Benchmarks;

/// <summary>One of the echo setups of the cluster rows: executors behind an nginx of their own (round robin,
/// keep-alive). S1: one executor, cluster mode off; S3: three independent executors, cluster mode off; C1: a one-node
/// cluster; C3: a three-node cluster. Disposing stops nginx and every executor of the setup.</summary>
public sealed class EchoSetup : IDisposable
{
    private readonly IDisposable _servers;
    private bool _disposed;

    private EchoSetup(string id, string description, IReadOnlyList<ServerProcess> executors, IDisposable servers, Nginx nginx,
        bool clustered)
    {
        Id = id;
        Description = description;
        Executors = executors;
        _servers = servers;
        Nginx = nginx;
        Clustered = clustered;
    }

    /// <summary>S1, S3, C1, C3: the names issue 18 gives them.</summary>
    public string Id { get; }
    public string Description { get; }
    public IReadOnlyList<ServerProcess> Executors { get; }
    public Nginx Nginx { get; }
    /// <summary>Cluster mode on: the executors count where their runs went (<c>jarvis_runs_routed_total</c>).</summary>
    public bool Clustered { get; }

    /// <summary><paramref name="count"/> executors with cluster mode off, each on its own (S1, S3).</summary>
    public static async Task<EchoSetup> StartIndependentAsync(string id, int count, BenchOptions options, string workDirectory,
        IReadOnlyDictionary<string, string> settings, CancellationToken cancellation)
    {
        var starts = Enumerable.Range(0, count)
            .Select(i => ServerProcess.StartExecutorAsync(options, workDirectory, $"{id}-executor{i}", settings, cancellation)).ToList();
        var executors = new ServerGroup(starts);
        try
        {
            await Task.WhenAll(starts);
        }
        catch
        {
            executors.Dispose();
            throw;
        }
        var description = count == 1 ? "1 executor, cluster mode off" : $"{count} independent executors, cluster mode off";
        return await WithNginxAsync(id, description, executors.Started, executors, clustered: false, workDirectory, cancellation);
    }

    /// <summary>A cluster of <paramref name="size"/> executors (C1: a one-node cluster that joins itself; C3).</summary>
    public static async Task<EchoSetup> StartClusterAsync(string id, int size, BenchOptions options, string workDirectory,
        IReadOnlyDictionary<string, string> settings, CancellationToken cancellation)
    {
        var cluster = await ExecutorCluster.StartAsync(options, workDirectory, id, size, settings, cancellation);
        Console.Error.WriteLine($"  {id}: cluster of {size} formed in {Format.Seconds(cluster.FormedAfter)}");
        var description = size == 1
            ? "1 executor in cluster mode (a one-node cluster, JARVIS_CLUSTER_SELF_JOIN=true)"
            : $"{size} executors in one cluster";
        return await WithNginxAsync(id, description, cluster.Nodes, cluster, clustered: true, workDirectory, cancellation);
    }

    /// <summary>nginx in front of <paramref name="executors"/>; when it cannot start, <paramref name="servers"/> are stopped.</summary>
    private static async Task<EchoSetup> WithNginxAsync(string id, string description, IReadOnlyList<ServerProcess> executors,
        IDisposable servers, bool clustered, string workDirectory, CancellationToken cancellation)
    {
        try
        {
            var nginx = await Nginx.StartAsync(executors.Select(e => e.BaseAddress).ToList(), workDirectory, $"nginx-{id}", cancellation);
            return new EchoSetup(id, description, executors, servers, nginx, clustered);
        }
        catch
        {
            servers.Dispose();
            throw;
        }
    }

    /// <summary>Idempotent: the setups the hop row does not need are stopped before it, the rest at the end.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Nginx.Dispose();
        _servers.Dispose();
    }
}
