using Jarvis.Actors.Runs;

namespace Jarvis.Actors.Supervision;

/// <summary>Where the supervisor reports what happened (logs, metrics). Called on the actor's thread: keep it cheap.</summary>
public interface IRunObserver
{
    /// <summary>A run's handler is about to start (after <paramref name="queued"/> waiting for a slot).</summary>
    void RunStarted(RunRequest request, TimeSpan queued);
    void RunFinished(RunRequest request, RunResult result, TimeSpan queued);
    void RunRefused(RunRequest request, RefusalReason reason);
    void LoadChanged(int running, int queued);
    /// <summary>Results and early cancels now remembered, and their estimated bytes.</summary>
    void RememberedChanged(int runs, long bytes);
}

public sealed class NullRunObserver : IRunObserver
{
    public static readonly NullRunObserver Instance = new();
    public void RunStarted(RunRequest request, TimeSpan queued) { }
    public void RunFinished(RunRequest request, RunResult result, TimeSpan queued) { }
    public void RunRefused(RunRequest request, RefusalReason reason) { }
    public void LoadChanged(int running, int queued) { }
    public void RememberedChanged(int runs, long bytes) { }
}
