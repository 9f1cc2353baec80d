using System.Collections.Concurrent;
using System.Diagnostics;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Tests.Support;
using Xunit.Abstractions;

namespace Jarvis.Actors.Tests.Supervision;

public sealed class TracingTests : RunSupervisorTestKit, IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public TracingTests(ITestOutputHelper output) : base(output)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RunTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public void Each_run_is_one_activity_parented_on_the_callers_trace_and_tagged_with_its_ids_and_outcome()
    {
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        var supervisor = StartSupervisor();
        var request = Requests.For("traced", TestNodes.Throwing) with { Trace = parent };

        AssertFailed(ExpectAnswer(Execute(supervisor, request)), RunErrorCodes.HandlerError);

        var activity = Assert.Single(_stopped, a => (string?)a.GetTagItem("arp.node_run_id") == "traced");
        Assert.Equal(parent.TraceId, activity.TraceId);
        Assert.Equal(parent.SpanId, activity.ParentSpanId);
        Assert.Equal("run-under-test", activity.GetTagItem("arp.run_id"));
        Assert.Equal(TestNodes.Throwing, activity.GetTagItem("arp.node_type_id"));
        Assert.Equal("failed", activity.GetTagItem("arp.state"));
        Assert.Equal(RunErrorCodes.HandlerError, activity.GetTagItem("arp.error_code"));
        Assert.Equal(ActivityStatusCode.Error, activity.Status);
    }

    [Fact]
    public void The_handler_sees_the_run_activity_as_its_trace_so_its_own_calls_are_children_of_the_run()
    {
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        var supervisor = StartSupervisor();

        AssertSucceeded(ExpectAnswer(Execute(supervisor, Requests.For("traced", TestNodes.Instant) with { Trace = parent })), "v");

        var activity = Assert.Single(_stopped, a => (string?)a.GetTagItem("arp.node_run_id") == "traced");
        var seen = Handlers.WaitForStart("traced").Context!.Trace;
        Assert.Equal(activity.TraceId, seen.TraceId);
        Assert.Equal(activity.SpanId, seen.SpanId);
    }

    void IDisposable.Dispose()
    {
        _listener.Dispose();
        Dispose();
    }
}
