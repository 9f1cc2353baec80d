using Akka.Hosting;
using Jarvis.Actors.Hosting;
using Jarvis.Actors.Registry;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Supervision;
using Jarvis.Api.Config;
using Jarvis.Api.Contract;
using Jarvis.Api.Observability;
using Jarvis.NodePacks.Core;
using Jarvis.NodePacks.Egress;
using Jarvis.NodePacks.Web;
using Jarvis.NodePacks.Loading;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Api.Hosting;

public static class ExecutorHosting
{
    /// <summary>Registers the executor: options, node packs, the actor system and the drain at shutdown.
    /// <paramref name="packs"/> replaces the installed packs (the reference's <c>handlers=</c>); null means
    /// the built-in packs plus those in JARVIS_NODEPACKS_PATH.</summary>
    public static IServiceCollection AddJarvisExecutor(this IServiceCollection services, JarvisOptions options,
        IReadOnlyList<INodePack>? packs = null)
    {
        var orphans = new OrphanTracker();
        var catalog = BuildCatalog(() => packs ?? InstalledPacks(options), orphans);
        services.AddHttpClient(); // IHttpClientFactory for handlers, through NodeContext.Services
        services.AddEgressGuard(options.Egress);
        services.AddSingleton(options);
        services.AddSingleton(options.Runs);
        services.AddSingleton(orphans);
        services.AddSingleton(catalog);
        services.AddSingleton(new ExecuteRequestReader(options.MaxBodyBytes));
        services.AddSingleton(provider => new ReplyPromises(provider.GetRequiredService<Akka.Actor.ActorSystem>()));
        services.AddJarvisObservability(options);
        services.AddSingleton<ExecutorAvailability>();
        services.AddHostedService<ShutdownDrain>();
        services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownGrace + TimeSpan.FromSeconds(15));

        var hocon = Path.Combine(AppContext.BaseDirectory, "hocon", options.Cluster is null ? "single-node.conf" : "cluster.conf");
        if (!File.Exists(hocon)) throw new StartupException($"the Akka configuration file '{hocon}' is missing from the installation");
        services.AddAkka("jarvis", (akka, provider) => akka
            .AddHoconFile(hocon, HoconAddMode.Prepend)
            .ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = Akka.Event.LogLevel.InfoLevel;
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            })
            .WithJarvisRuns(provider, options.Cluster)
            .WithActors((system, registry, _) =>
            {
                if (options.Cluster is { } cluster) LogRemoting(provider.GetRequiredService<ILoggerFactory>(), cluster);
                provider.GetRequiredService<ExecutorAvailability>().Watch(system, registry.Get<LocalRuns>(), options.Cluster is not null);
            }));
        return services;
    }

    /// <summary>One start-up line saying whether the remoting port is protected; a warning when anyone may join.</summary>
    private static void LogRemoting(ILoggerFactory loggers, ClusterSettings cluster)
    {
        var log = loggers.CreateLogger("Jarvis.Cluster");
        var port = $"{cluster.HostName}:{cluster.Port}";
        if (cluster.Tls is { } tls)
        {
            log.LogInformation("Cluster remoting on {Port} is encrypted and authenticated with {Tls}", port, tls.Describe());
            var left = tls.Certificate.NotAfter.ToUniversalTime() - DateTime.UtcNow;
            if (left < TimeSpan.FromDays(30))
                log.LogWarning("The cluster TLS certificate expires in {Days:0} days ({NotAfter:yyyy-MM-dd HH:mm} UTC); from then on the other " +
                    "members refuse this node: renew it and restart", left.TotalDays, tls.Certificate.NotAfter.ToUniversalTime());
        }
        else log.LogWarning("Cluster remoting on {Port} is plain TCP: unencrypted, and anyone who can reach the port can join the cluster " +
            "and receive runs; set JARVIS_CLUSTER_TLS_CERT and JARVIS_CLUSTER_TLS_CA unless the network is trusted", port);
    }

    /// <summary>The first-party packs and those found in JARVIS_NODEPACKS_PATH.</summary>
    public static IReadOnlyList<INodePack> InstalledPacks(JarvisOptions options) =>
        [new CoreNodePack(), new WebNodePack(options.Egress), .. NodePackLoader.LoadFrom(options.NodePackDirectories)];

    /// <summary>Loading and checking packs runs their code: whatever it throws is a start-up error naming the cause.</summary>
    public static NodeCatalog BuildCatalog(Func<IReadOnlyList<INodePack>> packs, OrphanTracker orphans)
    {
        try { return NodeCatalog.Build(packs(), orphans); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var cause = e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e;
            throw new StartupException($"node packs could not be loaded: {cause.Message}");
        }
    }
}
