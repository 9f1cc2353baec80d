using System.Diagnostics;

namespace Jarvis.Cluster.Tests.Partition;

/// <summary>
/// Everything the partition test runs, owned in one place so that one dispose removes it whether the test passed or
/// failed: the namespaces (<see cref="PartitionNetwork"/>), nginx in the balancer namespace, the executor processes
/// (a restarted one included) and the HTTP clients on nginx's sockets. Disposing kills the processes first, deletes
/// the namespaces, and writes the tail of every executor's output to the test output.
/// </summary>
internal sealed class PartitionRig : IAsyncDisposable
{
    public static readonly TimeSpan FormationTimeout = TimeSpan.FromSeconds(90);

    private readonly ITestOutputHelper _output;
    private readonly List<NamespacedExecutor> _executors = [];
    private readonly Dictionary<char, HttpClient> _direct = [];

    private PartitionRig(ITestOutputHelper output, PartitionNetwork network, Stopwatch clock)
    {
        _output = output;
        Network = network;
        Clock = clock;
    }

    public Stopwatch Clock { get; }
    public PartitionNetwork Network { get; }
    public NamespacedBalancer Balancer { get; private set; } = null!;

    /// <summary>Round robin over the executors, through nginx's retries.</summary>
    public HttpClient Balanced { get; private set; } = null!;

    /// <summary>The executor at <paramref name="site"/> alone (nginx never retries these).</summary>
    public HttpClient Direct(ExecutorSite site) => _direct[site.Letter];

    /// <summary>Every executor process started, in order (a restart is a new one).</summary>
    public IReadOnlyList<NamespacedExecutor> Executors { get { lock (_executors) return _executors.ToList(); } }

    /// <summary>The newest process of <paramref name="site"/>.</summary>
    public NamespacedExecutor Current(ExecutorSite site) => Executors.Last(e => e.Site == site);

    /// <summary>Builds the network, starts nginx and the three executors, and waits until they form one cluster.</summary>
    public static async Task<PartitionRig> StartAsync(ITestOutputHelper output)
    {
        var clock = Stopwatch.StartNew();
        var network = await PartitionNetwork.CreateAsync(new PartitionNames());
        var rig = new PartitionRig(output, network, clock);
        try
        {
            rig.Balancer = await NamespacedBalancer.StartAsync(network, TimeSpan.FromSeconds(20));
            rig.Balanced = UnixSocketHttp.Create(rig.Balancer.BalancedSocket);
            foreach (var site in PartitionNetwork.Sites)
            {
                rig._direct[site.Letter] = UnixSocketHttp.Create(rig.Balancer.DirectSocket(site), maxConnections: 8);
                rig.StartExecutor(site);
            }
            await rig.WaitForMembersAsync(PartitionNetwork.Sites, FormationTimeout);
            output.WriteLine($"[{clock.Elapsed.TotalSeconds:0.0} s] namespaces {network.BalancerNamespace} (nginx, bridge " +
                $"{network.Names.Bridge}) and {string.Join(", ", PartitionNetwork.Sites.Select(network.NamespaceOf))}; cluster of 3 formed");
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a (new) executor process at <paramref name="site"/> with the same settings as the first.</summary>
    public NamespacedExecutor StartExecutor(ExecutorSite site)
    {
        lock (_executors)
        {
            var incarnation = _executors.Count(e => e.Site == site) + 1;
            var executor = NamespacedExecutor.Start(Network, site, incarnation, Clock);
            _executors.Add(executor);
            return executor;
        }
    }

    /// <summary>Waits until the current processes of <paramref name="sites"/> each see three members up.</summary>
    public Task WaitForMembersAsync(IEnumerable<ExecutorSite> sites, TimeSpan timeout) =>
        ClusterHealth.WaitForMembersAsync(sites.Select(s => (Current(s), Direct(s))).ToList(), PartitionNetwork.Sites.Count, timeout);

    public async ValueTask DisposeAsync()
    {
        var executors = Executors;
        await Task.WhenAll(executors.Select(async e => await e.KillAsync()));
        if (Balancer is not null) await Balancer.DisposeAsync();
        Balanced?.Dispose();
        foreach (var client in _direct.Values) client.Dispose();
        try
        {
            foreach (var executor in executors)
                _output.WriteLine($"=== {executor} {executor.ExitSummary}; the end of its output:\n{executor.OutputTail(12, withoutRunLines: true)}");
        }
        catch (InvalidOperationException) { } // the output helper of a finished test
        foreach (var executor in executors) await executor.DisposeAsync();
        await Network.DisposeAsync();
    }
}
