using Jarvis.Actors.Runs;
using Jarvis.Actors.Supervision;
using Prometheus;

namespace Jarvis.Api.Observability;

/// <summary>One structured log line per run outcome, and the run metrics of DESIGN §7.</summary>
public sealed partial class RunOutcomeObserver(ILogger<RunOutcomeObserver> logger) : IRunObserver
{
    private static readonly Counter Runs = Metrics.CreateCounter("jarvis_runs_total", "Finished runs by node type and outcome.",
        "node_type_id", "state", "error_code");
    private static readonly Histogram Duration = Metrics.CreateHistogram("jarvis_run_duration_seconds",
        "Handler time of finished runs (queue time excluded).", new HistogramConfiguration
        {
            LabelNames = ["node_type_id"],
            Buckets = Histogram.ExponentialBuckets(0.0005, 2, 20),
        });
    private static readonly Counter Rejected = Metrics.CreateCounter("jarvis_runs_rejected_total",
        "Executes refused before running (overloaded, shutting_down, conflict).", "reason");
    private static readonly Gauge InFlight = Metrics.CreateGauge("jarvis_runs_in_flight", "Handlers running now.");
    private static readonly Gauge Queued = Metrics.CreateGauge("jarvis_runs_queued", "Admitted runs waiting for a free slot.");

    public void RunStarted(RunRequest request, TimeSpan queued) { }

    public void RunFinished(RunRequest request, RunResult result, TimeSpan queued)
    {
        // An unknown id is the caller's free text: it must not become a metric label.
        var nodeType = result.Error?.Code == RunErrorCodes.UnknownNodeType ? "(unknown)" : request.NodeTypeId;
        var state = RunStates.Name(result.State);
        var duration = result.EndedAt - result.StartedAt;
        Runs.WithLabels(nodeType, state, result.Error?.Code ?? "").Inc();
        Duration.WithLabels(nodeType).Observe(duration.TotalSeconds);
        LogOutcome(request.RunId, request.NodeRunId, request.NodeTypeId, state, result.Error?.Code ?? "-",
            duration.TotalMilliseconds, queued.TotalMilliseconds, request.Caller.Subject ?? "anonymous");
    }

    public void RunRefused(RunRequest request, RefusalReason reason) => Rejected.WithLabels(reason switch
    {
        RefusalReason.Overloaded => "overloaded",
        RefusalReason.ShuttingDown => "shutting_down",
        _ => "conflict",
    }).Inc();

    public void LoadChanged(int running, int queued)
    {
        InFlight.Set(running);
        Queued.Set(queued);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "run {RunId} node_run {NodeRunId} {NodeTypeId} {State} ({ErrorCode}) in {DurationMs:0.0} ms, queued {QueuedMs:0.0} ms, caller {Caller}")]
    private partial void LogOutcome(string runId, string nodeRunId, string nodeTypeId, string state, string errorCode,
        double durationMs, double queuedMs, string caller);
}
