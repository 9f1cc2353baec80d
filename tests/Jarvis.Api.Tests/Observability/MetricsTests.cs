using System.Net;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Observability;

/// <summary>/metrics after a known mix of runs: exact counts, because every host has a registry of its own.</summary>
public sealed class MetricsTests
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(20);
    private const string Execute = "/v1/atomic-node-runs:execute";

    [Fact]
    public async Task Run_counters_match_a_known_mix_of_outcomes_exactly()
    {
        await using var server = await ExecutorServer.StartAsync(("JARVIS_MAX_CONCURRENCY", "1"), ("JARVIS_MAX_QUEUE", "0"));
        var client = server.Client;
        await HttpAssert.ResultAsync(await client.ExecuteAsync(ExecuteRequests.Echo("one")), "succeeded");
        await HttpAssert.ResultAsync(await client.ExecuteAsync(ExecuteRequests.Echo("two")), "succeeded");
        await HttpAssert.FailedAsync(await client.ExecuteAsync(ExecuteRequests.For("jarvis.core.echo", new JsonObject { ["echo"] = 7 })), "invalid_inputs");
        await HttpAssert.FailedAsync(await client.ExecuteAsync(ExecuteRequests.For("no.such.node", new JsonObject())), "unknown_node_type");
        await HttpAssert.FailedAsync(await client.ExecuteAsync(ExecuteRequests.Sleep(30, maxWallTimeMs: 200)).Within(Bounded, "timeout"), "timeout");
        var blocker = ExecuteRequests.NewId();
        var blocking = client.ExecuteAsync(ExecuteRequests.Sleep(30, blocker));
        await client.WaitForRunningAsync(1);
        await HttpAssert.ErrorAsync(await client.ExecuteAsync(ExecuteRequests.Echo("refused")), HttpStatusCode.ServiceUnavailable, "overloaded");
        await client.CancelAsync(blocker);
        await HttpAssert.ResultAsync(await blocking.Within(Bounded, "canceled blocker"), "canceled");
        // The supervisor reports a run just after answering it: wait for the last report rather than race it.
        var metrics = await Eventually.UntilAsync(() => MetricsText.ScrapeAsync(client), m => FinishedRuns(m) == 6, Bounded, "six runs reported");

        Assert.Equal(3, metrics.Value("""jarvis_runs_started_total{node_type_id="jarvis.core.echo"}"""));
        Assert.Equal(2, metrics.Value("""jarvis_runs_started_total{node_type_id="jarvis.core.sleep"}"""));
        Assert.Equal(1, metrics.Value("""jarvis_runs_started_total{node_type_id="(unknown)"}"""));
        Assert.Equal(0, metrics.Value("""jarvis_runs_started_total{node_type_id="jarvis.core.uuid4"}"""));
        Assert.Equal(2, metrics.Value("""jarvis_runs_finished_total{node_type_id="jarvis.core.echo",state="succeeded",error_code=""}"""));
        Assert.Equal(1, metrics.Value("""jarvis_runs_finished_total{node_type_id="jarvis.core.echo",state="failed",error_code="invalid_inputs"}"""));
        Assert.Equal(1, metrics.Value("""jarvis_runs_finished_total{node_type_id="(unknown)",state="failed",error_code="unknown_node_type"}"""));
        Assert.Equal(1, metrics.Value("""jarvis_runs_finished_total{node_type_id="jarvis.core.sleep",state="failed",error_code="timeout"}"""));
        Assert.Equal(1, metrics.Value("""jarvis_runs_finished_total{node_type_id="jarvis.core.sleep",state="canceled",error_code="canceled"}"""));
        Assert.Equal(0, metrics.Value("jarvis_runs_in_flight"));
        Assert.Equal(3, metrics.Value("""jarvis_run_duration_seconds_count{node_type_id="jarvis.core.echo"}"""));
        Assert.Equal(2, metrics.Value("""jarvis_run_duration_seconds_count{node_type_id="jarvis.core.sleep"}"""));
        Assert.Equal(1, metrics.Value("""jarvis_runs_rejected_total{reason="overloaded"}"""));
        Assert.Equal(0, metrics.Value("""jarvis_runs_rejected_total{reason="conflict"}"""));
        Assert.Equal(0, metrics.Value("jarvis_runs_queued"));
        Assert.DoesNotContain("no.such.node", metrics.Text);
    }

    private static double FinishedRuns(MetricsText metrics) =>
        metrics.Series("jarvis_runs_finished_total").Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task In_flight_and_queued_gauges_follow_the_supervisor()
    {
        await using var server = await ExecutorServer.StartAsync(("JARVIS_MAX_CONCURRENCY", "1"), ("JARVIS_MAX_QUEUE", "1"));
        var blocker = ExecuteRequests.NewId();
        var queuedId = ExecuteRequests.NewId();
        var running = server.Client.ExecuteAsync(ExecuteRequests.Sleep(30, blocker));
        await server.Client.WaitForRunningAsync(1);
        var queued = server.Client.ExecuteAsync(ExecuteRequests.Sleep(30, queuedId));

        var loaded = await Eventually.UntilAsync(() => MetricsText.ScrapeAsync(server.Client),
            m => m.Value("jarvis_runs_queued") == 1, Bounded, "one run queued");
        Assert.Equal(1, loaded.Value("jarvis_runs_in_flight"));

        await server.Client.CancelAsync(queuedId);
        await server.Client.CancelAsync(blocker);
        await HttpAssert.ResultAsync(await queued.Within(Bounded, "queued run"), "canceled");
        await HttpAssert.ResultAsync(await running.Within(Bounded, "running run"), "canceled");
        await Eventually.UntilAsync(() => MetricsText.ScrapeAsync(server.Client),
            m => m.Value("jarvis_runs_in_flight") == 0 && m.Value("jarvis_runs_queued") == 0, Bounded, "load back to zero");
    }

    [Fact]
    public async Task Http_requests_are_labelled_by_route_pattern_and_status_never_by_raw_path()
    {
        await using var server = await ExecutorServer.StartAsync();
        var client = server.Client;
        await HttpAssert.ResultAsync(await client.ExecuteAsync(ExecuteRequests.Echo("counted")), "succeeded");
        await client.CancelAsync("cancel-id-alpha");
        await client.CancelAsync("cancel-id-beta");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/no-such-path-one")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/no-such-path-two")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostJsonAsync(Execute, "{}")).StatusCode);
        using var brew = new HttpRequestMessage(new HttpMethod("BREW"), "/v1/health");
        await client.SendAsync(brew);

        var metrics = await MetricsText.ScrapeAsync(client);

        Assert.Equal(1, metrics.Value("""jarvis_http_requests_total{method="POST",route="/v1/atomic-node-runs:execute",status="200"}"""));
        Assert.Equal(1, metrics.Value("""jarvis_http_requests_total{method="POST",route="/v1/atomic-node-runs:execute",status="400"}"""));
        Assert.Equal(2, metrics.Value("""jarvis_http_requests_total{method="POST",route="/v1/atomic-node-runs/{node_run_id}:cancel",status="204"}"""));
        Assert.Equal(2, metrics.Value("""jarvis_http_requests_total{method="GET",route="(none)",status="404"}"""));
        Assert.Equal(1, metrics.Value("""jarvis_http_requests_total{method="other",route="(none)",status="405"}"""));
        Assert.Equal(2, metrics.Value("""jarvis_http_request_duration_seconds_count{method="POST",route="/v1/atomic-node-runs/{node_run_id}:cancel"}"""));
        Assert.DoesNotContain("cancel-id-alpha", metrics.Text);
        Assert.DoesNotContain("no-such-path", metrics.Text);
        Assert.DoesNotContain("BREW", metrics.Text);
    }

    [Fact]
    public async Task Each_host_counts_only_its_own_runs()
    {
        await using var busy = await ExecutorServer.StartAsync();
        await using var idle = await ExecutorServer.StartAsync();
        await HttpAssert.ResultAsync(await busy.Client.ExecuteAsync(ExecuteRequests.Echo("here")), "succeeded");

        var busyMetrics = await MetricsText.ScrapeAsync(busy.Client);
        var idleMetrics = await MetricsText.ScrapeAsync(idle.Client);

        Assert.Equal(1, busyMetrics.Value("""jarvis_runs_started_total{node_type_id="jarvis.core.echo"}"""));
        Assert.Equal(0, idleMetrics.Value("""jarvis_runs_started_total{node_type_id="jarvis.core.echo"}"""));
        Assert.Empty(idleMetrics.Series("jarvis_runs_finished_total"));
    }

    [Fact]
    public async Task Orphaned_handlers_are_counted_and_make_health_degraded_until_they_return()
    {
        var pack = new OrphaningNodePack();
        await using var server = await ExecutorServer.StartAsync([pack]);
        try
        {
            var request = ExecuteRequests.For(OrphaningNodePack.IgnoresCancel, new JsonObject(), maxWallTimeMs: 100, version: "1.0.0");
            await HttpAssert.FailedAsync(await server.Client.ExecuteAsync(request).Within(Bounded, "abandoned run"), "timeout");

            var orphaned = await Eventually.UntilAsync(() => MetricsText.ScrapeAsync(server.Client),
                m => m.Value("jarvis_runs_orphaned") == 1, Bounded, "one orphaned handler");
            Assert.Equal(1, orphaned.Value("jarvis_runs_orphaned_total"));
            Assert.Equal("degraded", (await HealthReader.GetAsync(server.Client)).Check("orphaned_handlers"));

            pack.Release();

            var returned = await Eventually.UntilAsync(() => MetricsText.ScrapeAsync(server.Client),
                m => m.Value("jarvis_runs_orphaned") == 0, Bounded, "the orphan returned");
            Assert.Equal(1, returned.Value("jarvis_runs_orphaned_total"));
            Assert.Equal("ok", (await HealthReader.GetAsync(server.Client)).Status);
        }
        finally
        {
            pack.Release();
        }
    }
}
