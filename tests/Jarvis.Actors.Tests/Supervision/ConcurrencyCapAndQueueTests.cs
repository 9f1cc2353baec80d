using Jarvis.Actors.Runs;
using Jarvis.Actors.Supervision;
using Jarvis.Actors.Tests.Support;
using Xunit.Abstractions;

namespace Jarvis.Actors.Tests.Supervision;

public sealed class ConcurrencyCapAndQueueTests(ITestOutputHelper output) : RunSupervisorTestKit(output)
{
    [Fact]
    public void Runs_beyond_the_cap_wait_in_the_queue_until_a_slot_frees()
    {
        var supervisor = StartSupervisor(Settings(maxConcurrency: 2, maxQueue: 5));
        var a = Execute(supervisor, Requests.For("a", TestNodes.Gated));
        var b = Execute(supervisor, Requests.For("b", TestNodes.Gated));
        var c = Execute(supervisor, Requests.For("c", TestNodes.Gated));
        var runA = Handlers.WaitForStart("a");
        var runB = Handlers.WaitForStart("b");

        Assert.Equal(new Load(Running: 2, Queued: 1, Draining: false), LoadOf(supervisor));

        runA.Release();
        AssertSucceeded(ExpectAnswer(a), "a");
        var runC = Handlers.WaitForStart("c");
        Assert.Equal(new Load(Running: 2, Queued: 0, Draining: false), LoadOf(supervisor));
        runB.Release();
        runC.Release();
        AssertSucceeded(ExpectAnswer(b), "b");
        AssertSucceeded(ExpectAnswer(c), "c");

        var events = Handlers.Events.ToList();
        Assert.True(events.IndexOf("start:c") > events.IndexOf("end:a"),
            "the queued run started before a running one ended: " + string.Join(", ", events));
        Assert.Equal(new Load(0, 0, false), LoadOf(supervisor));
    }

    [Fact]
    public void Queued_runs_start_in_arrival_order()
    {
        var supervisor = StartSupervisor(Settings(maxConcurrency: 1, maxQueue: 4));
        string[] ids = ["first", "second", "third", "fourth", "fifth"];
        var callers = ids.Select(id => Execute(supervisor, Requests.For(id, TestNodes.Gated))).ToList();
        Handlers.WaitForStart("first");
        Assert.Equal(new Load(Running: 1, Queued: 4, Draining: false), LoadOf(supervisor));

        // Release whatever starts next, one at a time: the order they start in is the supervisor's choice.
        for (var i = 0; i < ids.Length; i++) Handlers.WaitForInvocation(i).Release();

        for (var i = 0; i < ids.Length; i++) AssertSucceeded(ExpectAnswer(callers[i]), ids[i]);
        Assert.Equal(ids, Handlers.StartOrder);
        Assert.Equal(ids.SelectMany(id => new[] { "start:" + id, "end:" + id }), Handlers.Events);
    }

    [Fact]
    public void Run_arriving_when_cap_and_queue_are_full_is_refused_overloaded_and_never_runs()
    {
        var supervisor = StartSupervisor(Settings(maxConcurrency: 1, maxQueue: 1));
        var running = Execute(supervisor, Requests.For("running", TestNodes.Gated));
        Handlers.WaitForStart("running");
        var queued = Execute(supervisor, Requests.For("queued", TestNodes.Gated));

        var refused = Execute(supervisor, Requests.For("refused", TestNodes.Gated));

        ExpectRefusal(refused, RefusalReason.Overloaded);
        Assert.Equal(new Load(Running: 1, Queued: 1, Draining: false), LoadOf(supervisor));
        Handlers.WaitForStart("running").Release();
        AssertSucceeded(ExpectAnswer(running), "running");
        Handlers.WaitForStart("queued").Release();
        AssertSucceeded(ExpectAnswer(queued), "queued");
        Assert.Equal(new Load(0, 0, false), LoadOf(supervisor)); // a wrongly admitted "refused" would be running now
        Assert.Equal(["running", "queued"], Handlers.StartOrder);
    }

    [Fact]
    public void Without_a_queue_a_run_beyond_the_cap_is_refused_overloaded()
    {
        var supervisor = StartSupervisor(Settings(maxConcurrency: 1, maxQueue: 0));
        var running = Execute(supervisor, Requests.For("running", TestNodes.Gated));
        Handlers.WaitForStart("running");

        ExpectRefusal(Execute(supervisor, Requests.For("extra", TestNodes.Gated)), RefusalReason.Overloaded);

        Handlers.WaitForStart("running").Release();
        AssertSucceeded(ExpectAnswer(running), "running");
        Assert.Equal(1, Handlers.Count);
    }

    [Fact]
    public void Queued_run_waiting_longer_than_the_queue_timeout_is_refused_overloaded_and_never_runs()
    {
        var supervisor = StartSupervisor(Settings(maxConcurrency: 1, maxQueue: 2, queueTimeout: TimeSpan.FromMilliseconds(300)));
        var running = Execute(supervisor, Requests.For("running", TestNodes.Gated));
        var slot = Handlers.WaitForStart("running");
        var waiting = Execute(supervisor, Requests.For("waiting", TestNodes.Gated));

        ExpectRefusal(waiting, RefusalReason.Overloaded); // while "running" still holds the only slot

        Assert.Equal(new Load(Running: 1, Queued: 0, Draining: false), LoadOf(supervisor));
        slot.Release();
        AssertSucceeded(ExpectAnswer(running), "running");
        Assert.Equal(new Load(0, 0, false), LoadOf(supervisor));
        Assert.Equal(["running"], Handlers.StartOrder);
    }

    [Fact]
    public void Queued_run_that_gets_a_slot_in_time_is_not_refused_when_its_queue_timeout_passes()
    {
        var timeout = TimeSpan.FromMilliseconds(400);
        var supervisor = StartSupervisor(Settings(maxConcurrency: 1, maxQueue: 1, queueTimeout: timeout));
        var first = Execute(supervisor, Requests.For("first", TestNodes.Gated));
        Handlers.WaitForStart("first");
        var second = Execute(supervisor, Requests.For("second", TestNodes.Gated));
        Handlers.WaitForStart("first").Release();
        AssertSucceeded(ExpectAnswer(first), "first");
        var secondRun = Handlers.WaitForStart("second");

        // "third" is queued after "second" started, so its refusal proves second's queue timeout has passed too.
        var third = Execute(supervisor, Requests.For("third", TestNodes.Gated));
        ExpectRefusal(third, RefusalReason.Overloaded);

        Assert.False(second.HasMessages, "the started run was answered before it finished");
        secondRun.Release();
        AssertSucceeded(ExpectAnswer(second), "second");
    }

    [Fact]
    public void Queued_run_whose_deadline_passes_while_it_waits_is_answered_timeout_retryable_and_never_starts()
    {
        var supervisor = StartSupervisor(Settings(maxConcurrency: 1, maxQueue: 2));
        var running = Execute(supervisor, Requests.For("running", TestNodes.Gated));
        var slot = Handlers.WaitForStart("running");
        var admitted = DateTimeOffset.UtcNow;
        var waiting = Execute(supervisor, Requests.For("waiting", TestNodes.Gated, maxWallTime: TimeSpan.FromMilliseconds(300)));

        var result = ExpectAnswer(waiting); // while "running" still holds the only slot

        Assert.Equal(RunState.Failed, result.State);
        Assert.Equal(RunErrorCodes.Timeout, result.Error!.Code);
        Assert.True(result.IsRetryable);
        Assert.InRange(result.StartedAt, admitted.AddSeconds(-1), admitted.AddSeconds(1)); // when it was admitted
        Assert.Equal(new Load(Running: 1, Queued: 0, Draining: false), LoadOf(supervisor));
        slot.Release();
        AssertSucceeded(ExpectAnswer(running), "running");
        Assert.Equal(["running"], Handlers.StartOrder);
    }

    [Fact]
    public void Queued_run_that_reaches_a_slot_runs_only_for_what_is_left_of_its_deadline()
    {
        var budget = TimeSpan.FromSeconds(30);
        var queuedFor = TimeSpan.FromMilliseconds(500);
        var supervisor = StartSupervisor(Settings(maxConcurrency: 1, maxQueue: 1));
        var running = Execute(supervisor, Requests.For("running", TestNodes.Gated));
        var slot = Handlers.WaitForStart("running");
        var admitted = DateTimeOffset.UtcNow;
        var waiting = Execute(supervisor, Requests.For("waiting", TestNodes.Gated, maxWallTime: budget));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        AwaitCondition(() => clock.Elapsed >= queuedFor, Patience); // time spent in the queue is the point here

        slot.Release();
        AssertSucceeded(ExpectAnswer(running), "running");
        var run = Handlers.WaitForStart("waiting");

        // its handler is told the deadline counted from admission, not a fresh budget from its start
        var handlerDeadline = run.Context!.Deadline;
        Assert.True(handlerDeadline <= admitted + budget + TimeSpan.FromMilliseconds(100),
            $"the handler's deadline is {(handlerDeadline - admitted).TotalMilliseconds:0} ms after admission, budget {budget.TotalMilliseconds:0} ms");
        Assert.True(handlerDeadline >= admitted + budget - TimeSpan.FromSeconds(1));
        run.Release();
        AssertSucceeded(ExpectAnswer(waiting), "waiting");
    }
}
