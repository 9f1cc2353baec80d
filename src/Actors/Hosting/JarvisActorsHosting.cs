using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Jarvis.Actors.Registry;
using Jarvis.Actors.Remoting;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Serialization;
using Jarvis.Actors.Sharding;
using Jarvis.Actors.Supervision;
using Microsoft.Extensions.DependencyInjection;

namespace Jarvis.Actors.Hosting;

public static class JarvisActorsHosting
{
    /// <summary>Starts the node registry and this node's run supervisor and registers <see cref="NodeTypes"/> and
    /// <see cref="NodeRuns"/>: the supervisor itself on a single node; with <paramref name="cluster"/>, a
    /// <see cref="RunGateway"/> in front of a shard region of <see cref="RunShardEntity"/> per run shard, whose entities
    /// hand their runs to the supervisor of the node they live on. Collaborators come from DI: <see cref="NodeCatalog"/>,
    /// <see cref="RunSupervisorSettings"/>, optionally <see cref="IRunObserver"/> and <see cref="IRunRouteObserver"/>.</summary>
    public static AkkaConfigurationBuilder WithJarvisRuns(this AkkaConfigurationBuilder builder, IServiceProvider services,
        ClusterSettings? cluster = null)
    {
        builder.WithActors((system, registry, _) =>
        {
            var catalog = services.GetRequiredService<NodeCatalog>();
            var nodeTypes = system.ActorOf(NodeRegistryActor.Props(catalog), "node-types");
            registry.Register<NodeTypes>(nodeTypes);
            var runs = system.ActorOf(RunSupervisor.Props(
                services.GetRequiredService<RunSupervisorSettings>(),
                nodeTypes,
                services.GetService<IRunObserver>(),
                services,
                TimeProvider.System), "runs");
            registry.Register<LocalRuns>(runs);
            if (cluster is null) registry.Register<NodeRuns>(runs);
        });
        return cluster is null
            ? builder
            : builder.WithJarvisCluster(cluster, services.GetRequiredService<RunSupervisorSettings>(), services.GetService<IRunRouteObserver>());
    }

    private static AkkaConfigurationBuilder WithJarvisCluster(this AkkaConfigurationBuilder builder, ClusterSettings cluster,
        RunSupervisorSettings runs, IRunRouteObserver? observer) => builder
        .WithRemoting(new RemoteOptions
        {
            HostName = cluster.HostName,
            Port = cluster.Port,
            PublicHostName = cluster.PublicHostName,
            MaxFrameSize = cluster.MaxFrameBytes,
            EnableSsl = cluster.Tls is not null,
            Ssl = cluster.Tls is { } tls
                ? new SslOptions
                {
                    X509Certificate = tls.Certificate,
                    RequireMutualAuthentication = true,
                    SuppressValidation = false,
                    ValidateCertificateHostname = false,
                    CustomValidator = PeerCertificates.AcceptFrom(tls.Authorities),
                }
                : new SslOptions(),
        })
        .WithClustering(new ClusterOptions
        {
            SeedNodes = [.. cluster.Seeds],
            Roles = cluster.Role is { } role ? [role] : null,
            SplitBrainResolver = new KeepMajorityOption(),
        })
        .WithCustomSerializer("jarvis-runs", [typeof(ICrossNodeMessage)], system => new RunMessageSerializer(system))
        // No fallback: a message without a binding fails instead of crossing nodes as Newtonsoft JSON.
        .WithStrictSerialization()
        .WithShardRegion<RunShards>("node-runs",
            (_, registry, _) => _ => RunShardEntity.Props(registry.Get<LocalRuns>()),
            new RunMessageExtractor(),
            new ShardOptions
            {
                // The 1.5 defaults would persist the coordinator's state (we keep none), remember entities, and
                // passivate an entity idle for 120 s, which a long run's entity is.
                StateStoreMode = StateStoreMode.DData,
                RememberEntities = false,
                ShouldPassivateIdleEntities = false,
                HandOffStopMessage = HandOffRun.Instance,
                Role = cluster.Role,
            })
        .WithActors((system, registry) =>
        {
            var gateway = system.ActorOf(RunGateway.Props(registry.Get<RunShards>(), registry.Get<LocalRuns>(), cluster.AckTimeout,
                runs, observer), "run-gateway");
            registry.Register<NodeRuns>(gateway);
            if (cluster.SelfJoin)
            {
                var self = Akka.Cluster.Cluster.Get(system);
                self.Join(self.SelfAddress);
            }
        });
}
