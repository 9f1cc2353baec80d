using System.Collections.Concurrent;
using System.Collections.Frozen;
using Jarvis.Actors.Registry;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Supervision;
using Prometheus;

namespace Jarvis.Api.Observability;

/// <summary>The run metrics of DESIGN §7, in the host's own registry. Recording is a dictionary lookup and an
/// atomic add: label children are bound once per node type, and the gauges are read at scrape time.</summary>
public sealed class RunMetrics
{
    /// <summary>The label of runs whose node_type_id is not installed: the caller's free text must not become a label.</summary>
    public const string UnknownNodeType = "(unknown)";

    private readonly FrozenDictionary<string, NodeTypeSeries> _byNodeType;
    private readonly NodeTypeSeries _unknown;
    private readonly Counter _finished;
    private readonly Counter.Child _overloaded, _shuttingDown, _conflict, _unavailable;
    private readonly Counter _logLinesDropped;
    private int _running, _queued, _rememberedRuns;
    private long _rememberedBytes;

    public RunMetrics(CollectorRegistry registry, MetricFactory metrics, NodeCatalog catalog, OrphanTracker orphans)
    {
        var started = metrics.CreateCounter("jarvis_runs_started_total", "Runs whose handler started, by node type.", "node_type_id");
        _finished = metrics.CreateCounter("jarvis_runs_finished_total",
            "Runs answered with a result (succeeded, failed, canceled), by node type, state and error code.",
            "node_type_id", "state", "error_code");
        var duration = metrics.CreateHistogram("jarvis_run_duration_seconds",
            "Handler time of finished runs (queue time excluded), by node type.", new HistogramConfiguration
            {
                LabelNames = ["node_type_id"],
                Buckets = Histogram.ExponentialBuckets(0.0005, 2, 20),
            });
        var rejected = metrics.CreateCounter("jarvis_runs_rejected_total",
            "Executes refused without a result: overloaded (503), shutting_down (503), conflict (409), unavailable " +
            "(503 executor_unavailable, cluster mode: no node took the run in time, or its answer never came back).", "reason");
        _overloaded = rejected.WithLabels("overloaded");
        _shuttingDown = rejected.WithLabels("shutting_down");
        _conflict = rejected.WithLabels("conflict");
        _unavailable = rejected.WithLabels("unavailable");
        _logLinesDropped = metrics.CreateCounter("jarvis_log_lines_dropped_total",
            "Run outcome log lines dropped because the log writer fell behind.");

        var inFlight = metrics.CreateGauge("jarvis_runs_in_flight", "Handlers running now.");
        var queued = metrics.CreateGauge("jarvis_runs_queued", "Admitted runs waiting for a free slot.");
        var orphanedNow = metrics.CreateGauge("jarvis_runs_orphaned", "Abandoned handlers that ignored cancellation and still run.");
        var orphanedEver = metrics.CreateCounter("jarvis_runs_orphaned_total", "Handlers ever abandoned while still running.");
        var rememberedRuns = metrics.CreateGauge("jarvis_remembered_runs", "Results and early cancels remembered for replay.");
        var rememberedBytes = metrics.CreateGauge("jarvis_remembered_bytes",
            "Estimated bytes of the remembered results and early cancels (bounded by JARVIS_MAX_REMEMBERED_BYTES).");
        // Published at scrape time from the values kept here, so that the run path never touches a gauge.
        registry.AddBeforeCollectCallback(() =>
        {
            inFlight.Set(Volatile.Read(ref _running));
            queued.Set(Volatile.Read(ref _queued));
            orphanedNow.Set(orphans.Current);
            orphanedEver.IncTo(orphans.Total);
            rememberedRuns.Set(Volatile.Read(ref _rememberedRuns));
            rememberedBytes.Set(Volatile.Read(ref _rememberedBytes));
        });

        NodeTypeSeries Series(string label) => new(label, started.WithLabels(label), duration.WithLabels(label));
        _byNodeType = catalog.All.Select(n => n.Definition.NodeTypeId)
            .ToFrozenDictionary(id => id, Series, StringComparer.Ordinal);
        _unknown = Series(UnknownNodeType);
    }

    public void Started(string nodeTypeId) => SeriesOf(nodeTypeId).Started.Inc();

    public void Finished(string nodeTypeId, RunState state, string? errorCode, TimeSpan duration)
    {
        var series = SeriesOf(nodeTypeId);
        series.Finished(_finished, state, errorCode).Inc();
        series.Duration.Observe(duration.TotalSeconds);
    }

    public void Refused(RefusalReason reason) => (reason switch
    {
        RefusalReason.Overloaded => _overloaded,
        RefusalReason.ShuttingDown => _shuttingDown,
        RefusalReason.Conflict => _conflict,
        _ => _unavailable,
    }).Inc();

    public void Load(int running, int queued)
    {
        Volatile.Write(ref _running, running);
        Volatile.Write(ref _queued, queued);
    }

    public void Remembered(int runs, long bytes)
    {
        Volatile.Write(ref _rememberedRuns, runs);
        Volatile.Write(ref _rememberedBytes, bytes);
    }

    public void LogLineDropped() => _logLinesDropped.Inc();

    private NodeTypeSeries SeriesOf(string nodeTypeId) => _byNodeType.GetValueOrDefault(nodeTypeId) ?? _unknown;

    private sealed class NodeTypeSeries(string label, Counter.Child started, Histogram.Child duration)
    {
        // Outcomes of one node type are few (three states, a handful of error codes): bound on first use, then reused.
        private readonly ConcurrentDictionary<(RunState, string), Counter.Child> _finished = new();

        public Counter.Child Started { get; } = started;
        public Histogram.Child Duration { get; } = duration;

        public Counter.Child Finished(Counter counter, RunState state, string? errorCode) =>
            _finished.GetOrAdd((state, errorCode ?? ""),
                static (key, arg) => arg.counter.WithLabels(arg.label, RunStates.Name(key.Item1), key.Item2), (counter, label));
    }
}
