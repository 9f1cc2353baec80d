using Jarvis.Actors.Runs;
using Prometheus;

namespace Jarvis.Api.Observability;

internal static class OrphanMetrics
{
    /// <summary>Publishes the orphan counts at scrape time rather than on the run path.</summary>
    public static void Publish(OrphanTracker orphans)
    {
        var current = Metrics.CreateGauge("jarvis_runs_orphaned", "Abandoned handlers that ignored cancellation and still run.");
        var total = Metrics.CreateGauge("jarvis_runs_orphaned_total", "Handlers ever abandoned while still running.");
        Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
        {
            current.Set(orphans.Current);
            total.Set(orphans.Total);
        });
    }
}
