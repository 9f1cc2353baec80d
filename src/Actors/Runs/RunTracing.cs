using System.Diagnostics;

namespace Jarvis.Actors.Runs;

/// <summary>One Activity per run, parented on the caller's trace (run_context.trace or traceparent),
/// tagged with the run's ids and its outcome. Created only when a listener (OpenTelemetry) samples it.</summary>
public static class RunTracing
{
    public const string SourceName = "Jarvis.AtomicExecutor";

    private static readonly ActivitySource Source = new(SourceName);

    public static Activity? Start(RunRequest request)
    {
        var previous = Activity.Current;
        var activity = Source.StartActivity("atomic_node_run", ActivityKind.Internal, request.Trace);
        // StartActivity makes it ambient; on an actor's pooled thread it must not leak into other messages.
        Activity.Current = previous;
        if (activity is null) return null;
        activity.SetTag("arp.run_id", request.RunId);
        activity.SetTag("arp.node_run_id", request.NodeRunId);
        activity.SetTag("arp.node_type_id", request.NodeTypeId);
        activity.SetTag("arp.node_type_version", request.NodeTypeVersion);
        return activity;
    }

    public static void Stop(Activity? activity, RunResult result)
    {
        if (activity is null) return;
        activity.SetTag("arp.state", RunStates.Name(result.State));
        if (result.Error is { } error)
        {
            activity.SetTag("arp.error_code", error.Code);
            if (result.State == RunState.Failed) activity.SetStatus(ActivityStatusCode.Error, error.Code);
        }
        activity.SetEndTime(result.EndedAt.UtcDateTime);
        activity.Stop();
    }
}
