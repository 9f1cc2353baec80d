using System.Collections.Concurrent;
using Akka.Actor;
using Jarvis.Actors.Registry;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Supervision;
using Jarvis.Actors.Tests.Support;
using Xunit.Abstractions;

namespace Jarvis.Actors.Tests.Supervision;

public sealed class SupervisorLifecycleTests(ITestOutputHelper output) : RunSupervisorTestKit(output)
{
    [Fact]
    public void Stopping_the_supervisor_without_a_drain_refuses_running_and_queued_runs_as_unavailable()
    {
        var supervisor = StartSupervisor(Settings(maxConcurrency: 1, maxQueue: 1));
        var running = Execute(supervisor, Requests.For("running", TestNodes.Gated));
        var run = Handlers.WaitForStart("running");
        var queued = Execute(supervisor, Requests.For("queued", TestNodes.Gated));
        Assert.Equal(new Load(Running: 1, Queued: 1, Draining: false), LoadOf(supervisor));

        Sys.Stop(supervisor); // as when the actor system goes away under the service: nobody asked the runs to end

        ExpectRefusal(running, RefusalReason.Unavailable);
        ExpectRefusal(queued, RefusalReason.Unavailable);
        AwaitAssert(() => Assert.True(run.Token.IsCancellationRequested), Patience);
        Assert.Equal(["running"], Handlers.StartOrder);
    }

    [Fact]
    public void Stopping_the_supervisor_during_a_drain_answers_the_runs_left_canceled()
    {
        var supervisor = StartSupervisor(Settings(maxConcurrency: 1, maxQueue: 1));
        var running = Execute(supervisor, Requests.For("running", TestNodes.Gated));
        var run = Handlers.WaitForStart("running");
        supervisor.Tell(new BeginDrain(Never), TestActor);
        Assert.Equal(new Load(Running: 1, Queued: 0, Draining: true), LoadOf(supervisor));

        Sys.Stop(supervisor); // the shutdown's grace ran out before the drain could finish

        AssertCanceled(ExpectAnswer(running));
        AwaitAssert(() => Assert.True(run.Token.IsCancellationRequested), Patience);
    }

    [Theory]
    [InlineData("with/slash and space")]
    [InlineData("$starts-with-dollar")]
    [InlineData("(parens)#hash?query")]
    [InlineData("ünïcödé-✓")]
    [InlineData("run-1")] // the supervisor's own fallback child name pattern
    public void Any_node_run_id_string_can_run_and_be_replayed(string nodeRunId)
    {
        var supervisor = StartSupervisor();

        var result = ExpectAnswer(Execute(supervisor, Requests.For(nodeRunId, TestNodes.Instant, value: "ok")));

        AssertSucceeded(result, "ok");
        Assert.Equal(nodeRunId, result.NodeRunId);
        AssertSameResult(result, ExpectAnswer(Execute(supervisor, Requests.For(nodeRunId, TestNodes.Instant, value: "ok"))));
        Assert.Equal(1, Handlers.CountFor(nodeRunId));
    }

    [Fact]
    public void Very_long_node_run_id_can_run()
    {
        var supervisor = StartSupervisor();
        var nodeRunId = new string('x', 1000);

        AssertSucceeded(ExpectAnswer(Execute(supervisor, Requests.For(nodeRunId, TestNodes.Instant, value: "ok"))), "ok");
    }

    [Fact]
    public void Retry_of_a_timed_out_id_runs_afresh_while_the_first_attempt_is_still_an_orphan()
    {
        var supervisor = StartSupervisor();
        var request = Requests.For("again", TestNodes.Stubborn, maxWallTime: TimeSpan.FromMilliseconds(250));
        AssertFailed(ExpectAnswer(Execute(supervisor, request)), RunErrorCodes.Timeout);
        var firstAttempt = Handlers.WaitForStart("again");

        var retry = Execute(supervisor, Requests.For("again", TestNodes.Stubborn, maxWallTime: TimeSpan.FromMilliseconds(250)));
        Handlers.WaitForStart("again", occurrence: 2).Release(new System.Text.Json.Nodes.JsonObject { ["value"] = "second" });

        AssertSucceeded(ExpectAnswer(retry), "second");
        Assert.False(firstAttempt.Gate.IsCompleted);
        AwaitAssert(() => Assert.Equal(1, Orphans.Current), Patience);
    }

    [Fact]
    public void Observer_hears_of_started_finished_and_refused_runs()
    {
        var observer = new RecordingObserver();
        var catalog = NodeCatalog.Build([Nodes.Pack], Orphans);
        var registry = Sys.ActorOf(NodeRegistryActor.Props(catalog));
        var supervisor = Sys.ActorOf(RunSupervisor.Props(Settings(maxConcurrency: 1, maxQueue: 0), registry, observer));
        var running = Execute(supervisor, Requests.For("running", TestNodes.Gated));
        var run = Handlers.WaitForStart("running");

        ExpectRefusal(Execute(supervisor, Requests.For("refused", TestNodes.Gated)), RefusalReason.Overloaded);
        run.Release();
        var result = ExpectAnswer(running);

        AwaitAssert(() =>
        {
            Assert.Equal(["running"], observer.Started);
            Assert.Contains(("refused", RefusalReason.Overloaded), observer.Refused);
            Assert.Contains(observer.Finished, f => f.Request.NodeRunId == "running" && f.Result == result);
            Assert.Equal((0, 0), observer.Loads.Last());
        }, Patience);
        Assert.Contains((1, 0), observer.Loads);
    }

    private sealed class RecordingObserver : IRunObserver
    {
        public ConcurrentQueue<string> Started { get; } = new();
        public ConcurrentQueue<(RunRequest Request, RunResult Result)> Finished { get; } = new();
        public ConcurrentQueue<(string NodeRunId, RefusalReason Reason)> Refused { get; } = new();
        public ConcurrentQueue<(int Running, int Queued)> Loads { get; } = new();
        public ConcurrentQueue<(int Runs, long Bytes)> Remembered { get; } = new();

        public void RunStarted(RunRequest request, TimeSpan queued) => Started.Enqueue(request.NodeRunId);
        public void RunFinished(RunRequest request, RunResult result, TimeSpan queued) => Finished.Enqueue((request, result));
        public void RunRefused(RunRequest request, RefusalReason reason) => Refused.Enqueue((request.NodeRunId, reason));
        public void LoadChanged(int running, int queued) => Loads.Enqueue((running, queued));
        public void RememberedChanged(int runs, long bytes) => Remembered.Enqueue((runs, bytes));
    }
}
