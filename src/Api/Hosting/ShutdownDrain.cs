using Akka.Actor;
using Akka.Hosting;
using Jarvis.Actors.Hosting;
using Jarvis.Actors.Supervision;
using Jarvis.Api.Config;

namespace Jarvis.Api.Hosting;

/// <summary>On SIGTERM / Ctrl-C, before the web server and the actor system stop: refuse new runs,
/// let running ones finish within the grace period, then cancel and answer the rest (DESIGN §3).</summary>
public sealed class ShutdownDrain(IRequiredActor<NodeRuns> runs, JarvisOptions options, ILogger<ShutdownDrain> logger)
    : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("draining: new runs are refused, running ones get {GraceSeconds} s to finish", options.ShutdownGrace.TotalSeconds);
        try
        {
            var supervisor = await runs.GetAsync(cancellationToken);
            await supervisor.Ask<Drained>(new BeginDrain(options.ShutdownGrace), options.ShutdownGrace + TimeSpan.FromSeconds(5), cancellationToken);
            logger.LogInformation("drained: no run is left");
        }
        catch (Exception e) when (e is AskTimeoutException or OperationCanceledException)
        {
            logger.LogWarning("drain did not complete before shutdown: {Reason}", e.Message);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
