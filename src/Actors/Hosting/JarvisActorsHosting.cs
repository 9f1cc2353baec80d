using Akka.Hosting;
using Jarvis.Actors.Registry;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Supervision;
using Microsoft.Extensions.DependencyInjection;

namespace Jarvis.Actors.Hosting;

public static class JarvisActorsHosting
{
    /// <summary>Starts the node registry and the run supervisor and registers them as
    /// <see cref="NodeTypes"/> and <see cref="NodeRuns"/>. Collaborators come from DI:
    /// <see cref="NodeCatalog"/>, <see cref="RunSupervisorSettings"/>, optionally <see cref="IRunObserver"/>.</summary>
    public static AkkaConfigurationBuilder WithJarvisRuns(this AkkaConfigurationBuilder builder, IServiceProvider services) =>
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
            registry.Register<NodeRuns>(runs);
        });
}
