using Akka;
using Akka.Actor;
using Jarvis.Actors.Sharding;
using Jarvis.Actors.Supervision;

namespace Jarvis.Api.Hosting;

/// <summary>
/// Whether this process can still serve runs. Its actor system may stop while the web host runs: the cluster
/// downed this node (the split-brain resolver, a partition), or the system terminated for another reason. From then
/// on every request would be sent to stopped actors and wait for an answer that never comes, so the moment the
/// actor system starts to stop (the cluster marks this node Down, the first phase of its CoordinatedShutdown, or its
/// termination if neither came first):
/// <list type="bullet">
/// <item>new requests are refused at the door with a retryable 503 (<see cref="AvailabilityGate"/>, and again just
/// before a request is handed to the actors);</item>
/// <item>the run supervisor abandons its runs: their callers, here or on any node, are refused as unavailable
/// (retryable, 503 over HTTP); a caller here waiting on a run owned by another node gets that node's answer, or is
/// refused by the gateway when the actor system stops;</item>
/// <item>the host is asked to stop (no drain: there is nothing left to drain with), and the process exits with
/// <see cref="LostExitCode"/> so that an orchestrator restarts it.</item>
/// </list>
/// When the host stops first (SIGTERM) the actor system stops last, after the drain: requests still arriving then are
/// refused as <c>shutting_down</c> and the exit code stays 0.
/// </summary>
public sealed class ExecutorAvailability(IHostApplicationLifetime lifetime, ILogger<ExecutorAvailability> logger) : IDisposable
{
    /// <summary>The process's exit code when its actor system stopped under the running service (documented in the README).</summary>
    public const int LostExitCode = 3;

    private readonly CancellationTokenSource _unavailable = new();
    private int _stopping;
    private volatile string? _lostReason;

    /// <summary>Fires once the actor system has started to stop, whatever the cause.</summary>
    public CancellationToken Unavailable => _unavailable.Token;

    public bool IsAvailable => !_unavailable.IsCancellationRequested;

    /// <summary>0, or <see cref="LostExitCode"/> when the actor system stopped under the running service.</summary>
    public int ExitCode => _lostReason is null ? 0 : LostExitCode;

    /// <summary>The error code of a request refused because the actor system is stopping.</summary>
    public string RefusalCode => _lostReason is null ? "shutting_down" : Jarvis.Actors.Runs.RunErrorCodes.ExecutorUnavailable;

    public string RefusalMessage => _lostReason is null
        ? "the executor is shutting down; retry on another instance"
        : $"this executor can no longer run anything ({_lostReason}); retry on another instance";

    private IActorRef _localRuns = ActorRefs.Nobody;

    /// <summary>Watches <paramref name="system"/>; <paramref name="localRuns"/> is this node's run supervisor. In
    /// <paramref name="clusterMode"/> also the cluster's verdict on this node, which comes before its shutdown.</summary>
    public void Watch(ActorSystem system, IActorRef localRuns, bool clusterMode)
    {
        _localRuns = localRuns;
        var shutdown = CoordinatedShutdown.Get(system);
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "jarvis-stop-serving", () =>
        {
            OnActorSystemStopping(DescribeReason(shutdown.ShutdownReason));
            return Task.FromResult(Done.Instance);
        });
        system.WhenTerminated.ContinueWith(_ => OnActorSystemStopping("its actor system terminated"),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        if (clusterMode) system.ActorOf(SelfDownedWatcher.Props(OnActorSystemStopping), "self-downed-watcher");
    }

    private static string DescribeReason(CoordinatedShutdown.Reason? reason) => reason switch
    {
        CoordinatedShutdown.ClusterDowningReason => "the cluster downed this node",
        CoordinatedShutdown.ClusterLeavingReason => "this node left the cluster",
        CoordinatedShutdown.ClusterJoinUnsuccessfulReason => "this node could not join the cluster",
        null => "its actor system is shutting down",
        _ => $"its actor system is shutting down ({reason.GetType().Name})",
    };

    private void OnActorSystemStopping(string reason)
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 1) return;
        if (!lifetime.ApplicationStopping.IsCancellationRequested)
        {
            _lostReason = reason;
            logger.LogWarning("executor unavailable: {Reason}; every request is now refused with 503 and the process " +
                              "exits with code {ExitCode}", reason, LostExitCode);
        }
        // The runs are stopped at once: a run abandoned here cannot still run when its id starts again on another node.
        _unavailable.Cancel();
        if (_lostReason is null) return;
        _localRuns.Tell(new AbandonRuns(reason));
        lifetime.StopApplication();
    }

    public void Dispose() => _unavailable.Dispose();
}
