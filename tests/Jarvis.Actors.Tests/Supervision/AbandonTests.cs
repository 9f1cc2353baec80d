using Jarvis.Actors.Runs;
using Jarvis.Actors.Supervision;
using Jarvis.Actors.Tests.Support;
using Xunit.Abstractions;

namespace Jarvis.Actors.Tests.Supervision;

/// <summary>AbandonRuns: the actor system is stopping under the service (the cluster downed this node).</summary>
public sealed class AbandonTests(ITestOutputHelper output) : RunSupervisorTestKit(output)
{
    [Fact]
    public void Abandon_stops_running_and_queued_runs_at_once_and_refuses_their_callers_as_unavailable()
    {
        var observer = new RecordingObserver();
        var supervisor = StartSupervisor(Settings(maxConcurrency: 1, maxQueue: 2), observer: observer);
        var running = Execute(supervisor, Requests.For("running", TestNodes.Gated));
        var run = Handlers.WaitForStart("running");
        var joined = Execute(supervisor, Requests.For("running", TestNodes.Gated));
        var queued = Execute(supervisor, Requests.For("queued", TestNodes.Gated));
        AwaitAssert(() => Assert.Equal(new Load(Running: 1, Queued: 1, Draining: false), LoadOf(supervisor)), Patience);

        supervisor.Tell(new AbandonRuns("the cluster downed this node"), TestActor);

        foreach (var caller in new[] { running, joined, queued })
            Assert.Contains("the cluster downed this node", ExpectRefusal(caller, RefusalReason.Unavailable).Message);
        AwaitAssert(() => Assert.True(run.Token.IsCancellationRequested, "the abandoned handler was not canceled"), Patience);
        Assert.Equal(["running"], Handlers.StartOrder); // the queued run never started
        Assert.Equal(new Load(Running: 0, Queued: 0, Draining: true), LoadOf(supervisor));
        // logged and counted as a retryable failure, so the run log shows where each run ended
        AwaitAssert(() => Assert.Equal(["queued", "running"], observer.Failures(RunErrorCodes.ExecutorUnavailable).Order()), Patience);
    }

    [Fact]
    public void After_abandoning_every_execute_is_refused_as_unavailable_and_no_result_is_remembered()
    {
        var supervisor = StartSupervisor();
        var running = Execute(supervisor, Requests.For("abandoned", TestNodes.Gated));
        Handlers.WaitForStart("abandoned");

        supervisor.Tell(new AbandonRuns("the cluster downed this node"), TestActor);
        ExpectRefusal(running, RefusalReason.Unavailable);

        ExpectRefusal(Execute(supervisor, Requests.For("new", TestNodes.Instant)), RefusalReason.Unavailable);
        // the abandoned run is not remembered as if it had ended: its id is refused again, not replayed
        ExpectRefusal(Execute(supervisor, Requests.For("abandoned", TestNodes.Gated)), RefusalReason.Unavailable);
        Assert.Equal(["abandoned"], Handlers.StartOrder);
    }

    private sealed class RecordingObserver : IRunObserver
    {
        private readonly List<(string Id, string? Code)> _finished = [];

        public IReadOnlyList<string> Failures(string code)
        {
            lock (_finished) return _finished.Where(f => f.Code == code).Select(f => f.Id).ToList();
        }

        public void RunFinished(RunRequest request, RunResult result, TimeSpan queued)
        {
            lock (_finished) _finished.Add((request.NodeRunId, result.Error?.Code));
        }

        public void RunStarted(RunRequest request, TimeSpan queued) { }
        public void RunRefused(RunRequest request, RefusalReason reason) { }
        public void LoadChanged(int running, int queued) { }
        public void RememberedChanged(int runs, long bytes) { }
    }
}
