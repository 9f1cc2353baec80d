using System.Diagnostics;
using System.Text.Json.Nodes;
using Jarvis.Actors.Runs;
using Jarvis.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Jarvis.Api.Tests.Observability;

/// <summary>Spans per HTTP request and per run, continuing the caller's trace, through the configured tracer provider.</summary>
public sealed class TracingTests
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(20);
    private const string AspNetCoreSource = "Microsoft.AspNetCore";

    [Fact]
    public async Task Http_span_continues_the_callers_traceparent_and_the_run_span_is_its_child()
    {
        var (server, spans) = await StartTracedAsync();
        await using var _ = server;
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        var nodeRunId = ExecuteRequests.NewId();
        using var request = new HttpRequestMessage(HttpMethod.Post, ExecuteRequests.ExecutePath)
        {
            Content = new StringContent(ExecuteRequests.Echo("traced", nodeRunId), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpan}-01");

        // The tracer provider listens to this whole process, the test's own HttpClient included: without a propagator
        // of its own, the client sends exactly the traceparent above, as a remote caller would.
        using var caller = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = server.BaseAddress };
        await HttpAssert.ResultAsync(await caller.SendAsync(request), "succeeded");

        var (http, run) = await Eventually.UntilAsync(() => Task.FromResult(SpansOf(spans, nodeRunId)),
            s => s.Http is not null && s.Run is not null, Bounded, "the request's and the run's spans");
        Assert.Equal(traceId, http!.TraceId);
        Assert.Equal(callerSpan, http.ParentSpanId);
        Assert.Equal(traceId, run!.TraceId);
        Assert.Equal(http.SpanId, run.ParentSpanId);
        Assert.Equal("run-http-tests", run.GetTagItem("arp.run_id"));
        Assert.Equal("jarvis.core.echo", run.GetTagItem("arp.node_type_id"));
        Assert.Equal("succeeded", run.GetTagItem("arp.state"));
        Assert.Equal("succeeded", http.GetTagItem("arp.state"));
        Assert.Equal("jarvis.core.echo", http.GetTagItem("arp.node_type_id"));
    }

    [Fact]
    public async Task Run_span_is_parented_on_run_context_trace_when_the_body_names_one()
    {
        var (server, spans) = await StartTracedAsync();
        await using var _ = server;
        var traceId = ActivityTraceId.CreateRandom();
        var coordinatorSpan = ActivitySpanId.CreateRandom();
        var nodeRunId = ExecuteRequests.NewId();
        var body = JsonNode.Parse(ExecuteRequests.For("jarvis.core.sleep", new JsonObject { ["seconds"] = 30 }, nodeRunId, maxWallTimeMs: 100))!;
        body["run_context"] = new JsonObject { ["trace"] = new JsonObject { ["trace_id"] = traceId.ToHexString(), ["span_id"] = coordinatorSpan.ToHexString() } };

        await HttpAssert.FailedAsync(await server.Client.ExecuteAsync(body.ToJsonString()).Within(Bounded, "timed-out run"), "timeout");

        var (_, run) = await Eventually.UntilAsync(() => Task.FromResult(SpansOf(spans, nodeRunId)),
            s => s.Run is not null, Bounded, "the run's span");
        Assert.Equal(traceId, run!.TraceId);
        Assert.Equal(coordinatorSpan, run.ParentSpanId);
        Assert.Equal("failed", run.GetTagItem("arp.state"));
        Assert.Equal("timeout", run.GetTagItem("arp.error_code"));
        Assert.Equal(ActivityStatusCode.Error, run.Status);
    }

    [Fact]
    public async Task Without_an_exporter_no_tracer_provider_is_registered()
    {
        await using var server = await ExecutorServer.StartAsync();
        Assert.Null(server.Services.GetService<TracerProvider>());
    }

    private static async Task<(ExecutorServer, RecordingProcessor)> StartTracedAsync()
    {
        var server = await ExecutorServer.StartAsync(("JARVIS_TRACES_EXPORTER", "console"));
        var spans = new RecordingProcessor();
        server.Services.GetRequiredService<TracerProvider>().AddProcessor(spans);
        return (server, spans);
    }

    private static (Activity? Http, Activity? Run) SpansOf(RecordingProcessor spans, string nodeRunId)
    {
        var ended = spans.Ended;
        return (ended.SingleOrDefault(a => a.Source.Name == AspNetCoreSource && Equals(a.GetTagItem("arp.node_run_id"), nodeRunId)),
            ended.SingleOrDefault(a => a.Source.Name == RunTracing.SourceName && Equals(a.GetTagItem("arp.node_run_id"), nodeRunId)));
    }
}
