using Akka.Actor;

using Akka.Hosting;
using Akka.Remote;
using Akka.Remote.Transport;
using Jarvis.Actors.Hosting;
using Jarvis.Actors.Registry;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Supervision;
using Jarvis.NodePacks.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jarvis.Cluster.Tests.InProcess;

/// <summary>Several executors' actor systems in this process, each in its own host wired exactly as the executable
/// wires cluster mode (<see cref="JarvisActorsHosting.WithJarvisRuns"/>), on loopback port 0, joined into one cluster.
/// Serialization is strict, as in production: a message of ours without a serializer cannot cross nodes, so a test
/// that sends it from one node to another fails. (<c>serialize-messages = on</c> cannot be used: Akka.NET 1.5.73's own
/// node-local sharding and distributed-data messages do not survive the fallback serializer.)</summary>
public sealed class InProcessCluster : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private const string TestHocon = """
        akka.loglevel = WARNING
        akka.log-dead-letters = off
        akka.actor.ask-timeout = 60s
        akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
        # The throttler lets a test cut a node off the network (blackhole) as a crash or a partition would.
        akka.remote.dot-netty.tcp.applied-adapters = [trttl]
        akka.cluster.split-brain-resolver.stable-after = 5s
        """;

    private readonly List<ClusterNode> _nodes = [];

    public IReadOnlyList<ClusterNode> Nodes => _nodes;

    public static async Task<InProcessCluster> StartAsync(int size, RunSupervisorSettings? settings = null)
    {
        var cluster = new InProcessCluster();
        try
        {
            var first = await ClusterNode.StartAsync(seed: null, settings);
            cluster._nodes.Add(first);
            for (var i = 1; i < size; i++) cluster._nodes.Add(await ClusterNode.StartAsync(first.Address.ToString(), settings));
            await cluster.WaitUntilAllUpAsync(size);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    private async Task WaitUntilAllUpAsync(int size)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!_nodes.All(n => n.UpMembers == size))
            await Task.Delay(50, timeout.Token);
    }

    /// <summary>The node whose supervisor runs something now (the owner of a run just started).</summary>
    public async Task<ClusterNode> RunningOnAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            foreach (var node in _nodes.Where(n => !n.IsCutOff))
                if ((await node.LoadAsync()).Running > 0) return node;
            await Task.Delay(20, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_nodes.Select(n => n.DisposeAsync().AsTask()));
    }

    internal static ClusterSettings Settings(string? seed) => new(
        HostName: "127.0.0.1", Port: 0, PublicHostName: null,
        Seeds: seed is null ? [] : [seed], SelfJoin: seed is null, Role: null,
        AckTimeout: TimeSpan.FromSeconds(5), MaxFrameBytes: 8 * 1024 * 1024);

    /// <summary>Builds a host for one node, as <c>ExecutorHosting</c> does (minus HTTP).</summary>
    internal static IHost BuildHost(string? seed, RunSupervisorSettings? settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(NodeCatalog.Build([new CoreNodePack()], new OrphanTracker()));
        builder.Services.AddSingleton(settings ?? RunSupervisorSettings.Default);
        builder.Services.AddSingleton<RouteCounter>();
        builder.Services.AddSingleton<Jarvis.Actors.Sharding.IRunRouteObserver>(provider => provider.GetRequiredService<RouteCounter>());
        builder.Services.AddAkka(ClusterSettings.SystemName, (akka, provider) => akka
            .AddHocon(TestHocon, HoconAddMode.Prepend)
            .WithJarvisRuns(provider, Settings(seed)));
        return builder.Build();
    }
}

/// <summary>One executor node of an <see cref="InProcessCluster"/>.</summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterNode(IHost host)
    {
        _host = host;
        System = host.Services.GetRequiredService<ActorSystem>();
        var registry = host.Services.GetRequiredService<ActorRegistry>();
        Runs = registry.Get<NodeRuns>();
        LocalRuns = registry.Get<LocalRuns>();
        Region = registry.Get<RunShards>();
        Routes = host.Services.GetRequiredService<RouteCounter>();
    }

    /// <summary>Executes of this node whose owner it knew: acknowledged, or known from an earlier ack of their shard.</summary>
    public RouteCounter Routes { get; }

    public ActorSystem System { get; }
    /// <summary>What the HTTP layer talks to: this node's run gateway.</summary>
    public IActorRef Runs { get; }
    public IActorRef LocalRuns { get; }
    /// <summary>This node's run shard region.</summary>
    public IActorRef Region { get; }
    public Address Address => Akka.Cluster.Cluster.Get(System).SelfAddress;
    public bool IsCutOff { get; private set; }

    public int UpMembers => Akka.Cluster.Cluster.Get(System).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up);

    internal static async Task<ClusterNode> StartAsync(string? seed, RunSupervisorSettings? settings)
    {
        var host = InProcessCluster.BuildHost(seed, settings);
        await host.StartAsync();
        return new ClusterNode(host);
    }

    public Task<ExecuteReply> ExecuteAsync(RunRequest request) =>
        Runs.Ask<ExecuteReply>(new ExecuteRun(request), InProcessCluster.Patience);

    public Task CancelAsync(string nodeRunId) => Runs.Ask<CancelAccepted>(new CancelRun(nodeRunId), InProcessCluster.Patience);

    /// <summary>Waits until <paramref name="count"/> executes sent through this node were taken by their owner.</summary>
    public async Task WaitUntilRoutedAsync(int count)
    {
        using var timeout = new CancellationTokenSource(InProcessCluster.Patience);
        while (Routes.Acknowledged < count) await Task.Delay(10, timeout.Token);
    }

    /// <summary>The shards living on this node and the ids of their entities.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlySet<string>>> ShardsAsync()
    {
        var state = await Region.Ask<Akka.Cluster.Sharding.CurrentShardRegionState>(Akka.Cluster.Sharding.GetShardRegionState.Instance,
            InProcessCluster.Patience);
        return state.Shards.ToDictionary(shard => shard.ShardId, shard => (IReadOnlySet<string>)shard.EntityIds.ToHashSet());
    }

    public Task<Load> LoadAsync() => LocalRuns.Ask<Load>(GetLoad.Instance, InProcessCluster.Patience);

    /// <summary>Drops every message between this node and <paramref name="others"/>, both ways: to them it is as
    /// if this node had crashed.</summary>
    public async Task CutOffFromAsync(IEnumerable<ClusterNode> others)
    {
        IsCutOff = true;
        var transport = ((IRemoteActorRefProvider)((ExtendedActorSystem)System).Provider).Transport;
        foreach (var other in others)
            Assert.True(await transport.ManagementCommand(new SetThrottle(other.Address, ThrottleTransportAdapter.Direction.Both, Blackhole.Instance)),
                $"the throttler did not cut {Address} off from {other.Address}");
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try { await _host.StopAsync(timeout.Token); }
        catch (OperationCanceledException) { }
        _host.Dispose();
    }
}

/// <summary>Counts what a node's gateway reports.</summary>
public sealed class RouteCounter : Jarvis.Actors.Sharding.IRunRouteObserver
{
    private int _acknowledged, _local, _remote, _ownerLost, _notTaken, _reruns;

    public int Acknowledged => Volatile.Read(ref _acknowledged);
    public int Local => Volatile.Read(ref _local);
    public int Remote => Volatile.Read(ref _remote);
    public int OwnerLost => Volatile.Read(ref _ownerLost);
    public int NotTaken => Volatile.Read(ref _notTaken);
    public int Reruns => Volatile.Read(ref _reruns);

    public void RerunAfterOwnerLost() => Interlocked.Increment(ref _reruns);

    public void Routed(bool local)
    {
        Interlocked.Increment(ref local ? ref _local : ref _remote);
        Interlocked.Increment(ref _acknowledged);
    }

    public void Unanswered(bool ownerLost)
    {
        if (ownerLost) Interlocked.Increment(ref _ownerLost);
        else Interlocked.Increment(ref _notTaken);
    }
}
