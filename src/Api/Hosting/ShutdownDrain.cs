using Akka.Actor;
using Akka.Hosting;
using Jarvis.Actors.Hosting;
using Jarvis.Actors.Supervision;
using Jarvis.Api.Config;

namespace Jarvis.Api.Hosting;

/// <summary>On SIGTERM / Ctrl-C, before the web server and the actor system stop: refuse new runs,
/// let running ones finish within the grace period, then cancel and answer the rest (DESIGN §3).
/// Skipped when the actor system is already stopping (the cluster downed this node): nothing could drain, and
/// the runs were abandoned and their callers answered already; a drain under way stops waiting then.</summary>
public sealed class ShutdownDrain(IRequiredActor<NodeRuns> runs, JarvisOptions options, ExecutorAvailability availability,
    ILogger<ShutdownDrain> logger) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (!availability.IsAvailable)
        {
            logger.LogInformation("no drain: the actor system is already stopping");
            return;
        }
        logger.LogInformation("draining: new runs are refused, running ones get {GraceSeconds} s to finish", options.ShutdownGrace.TotalSeconds);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, availability.Unavailable);
        try
        {
            var supervisor = await runs.GetAsync(wait.Token);
            await supervisor.Ask<Drained>(new BeginDrain(options.ShutdownGrace), options.ShutdownGrace + TimeSpan.FromSeconds(5), wait.Token);
            logger.LogInformation("drained: no run is left");
        }
        catch (OperationCanceledException) when (!availability.IsAvailable)
        {
            logger.LogWarning("drain abandoned: the actor system stopped while it ran");
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
