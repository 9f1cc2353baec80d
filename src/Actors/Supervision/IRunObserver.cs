using Jarvis.Actors.Runs;

namespace Jarvis.Actors.Supervision;

/// <summary>Where the supervisor reports what happened (logs, metrics). Called on the actor's thread: keep it cheap.</summary>
public interface IRunObserver
{
    void RunFinished(RunRequest request, RunResult result, TimeSpan queued);
    void RunRefused(RunRequest request, RefusalReason reason);
    void LoadChanged(int running, int queued);
}

public sealed class NullRunObserver : IRunObserver
{
    public static readonly NullRunObserver Instance = new();
    public void RunFinished(RunRequest request, RunResult result, TimeSpan queued) { }
    public void RunRefused(RunRequest request, RefusalReason reason) { }
    public void LoadChanged(int running, int queued) { }
}
