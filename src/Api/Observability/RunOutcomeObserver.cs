using Jarvis.Actors.Runs;
using Jarvis.Actors.Supervision;

namespace Jarvis.Api.Observability;

/// <summary>Turns the supervisor's reports into metrics and the per-run log line. Called on the supervisor's
/// thread, which every run of the node goes through: it only adds to counters and queues the log line.</summary>
public sealed class RunOutcomeObserver(RunMetrics metrics, RunOutcomeLog log) : IRunObserver
{
    public void RunStarted(RunRequest request, TimeSpan queued) => metrics.Started(request.NodeTypeId);

    public void RunFinished(RunRequest request, RunResult result, TimeSpan queued)
    {
        var duration = result.EndedAt - result.StartedAt;
        var errorCode = result.Error?.Code;
        metrics.Finished(request.NodeTypeId, result.State, errorCode, duration);
        log.Enqueue(new RunOutcome(request.RunId, request.NodeRunId, request.NodeTypeId, RunStates.Name(result.State),
            errorCode ?? "-", duration.TotalMilliseconds, queued.TotalMilliseconds, request.Caller.Subject ?? "anonymous"));
    }

    public void RunRefused(RunRequest request, RefusalReason reason) => metrics.Refused(reason);

    public void LoadChanged(int running, int queued) => metrics.Load(running, queued);

    public void RememberedChanged(int runs, long bytes) => metrics.Remembered(runs, bytes);
}
