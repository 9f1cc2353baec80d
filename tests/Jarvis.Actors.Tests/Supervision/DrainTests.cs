using Jarvis.Actors.Supervision;
using Jarvis.Actors.Tests.Support;
using Xunit.Abstractions;

namespace Jarvis.Actors.Tests.Supervision;

public sealed class DrainTests(ITestOutputHelper output) : RunSupervisorTestKit(output)
{
    [Fact]
    public void Drain_refuses_new_and_queued_runs_and_answers_a_run_that_finishes_within_grace()
    {
        var supervisor = StartSupervisor(Settings(maxConcurrency: 1, maxQueue: 2));
        var running = Execute(supervisor, Requests.For("running", TestNodes.Gated));
        var slot = Handlers.WaitForStart("running");
        var queued = Execute(supervisor, Requests.For("queued", TestNodes.Gated));
        var drainer = CreateTestProbe();

        supervisor.Tell(new BeginDrain(Never), drainer.Ref);

        ExpectRefusal(queued, RefusalReason.ShuttingDown);
        ExpectRefusal(Execute(supervisor, Requests.For("new", TestNodes.Instant)), RefusalReason.ShuttingDown);
        Assert.Equal(new Load(Running: 1, Queued: 0, Draining: true), LoadOf(supervisor));
        Assert.False(drainer.HasMessages, "drained was reported while a run was still running");

        slot.Release();

        AssertSucceeded(ExpectAnswer(running), "running");
        drainer.ExpectMsg<Drained>(Patience);
        Assert.Equal(["running"], Handlers.StartOrder);
    }

    [Fact]
    public void Drain_cancels_runs_still_running_when_the_grace_is_over_even_uncooperative_ones()
    {
        var supervisor = StartSupervisor();
        var cooperative = Execute(supervisor, Requests.For("cooperative", TestNodes.Gated));
        var stubborn = Execute(supervisor, Requests.For("stubborn", TestNodes.Stubborn));
        var cooperativeRun = Handlers.WaitForStart("cooperative");
        var stubbornRun = Handlers.WaitForStart("stubborn");
        var drainer = CreateTestProbe();

        supervisor.Tell(new BeginDrain(TimeSpan.FromMilliseconds(300)), drainer.Ref);

        AssertCanceled(ExpectAnswer(cooperative));
        AssertCanceled(ExpectAnswer(stubborn));
        drainer.ExpectMsg<Drained>(Patience);
        AwaitAssert(() => Assert.True(cooperativeRun.Token.IsCancellationRequested), Patience);
        AwaitAssert(() => Assert.True(stubbornRun.Token.IsCancellationRequested), Patience);
        AwaitAssert(() => Assert.Equal(1, Orphans.Current), Patience);
        Assert.False(stubbornRun.Gate.IsCompleted);
    }

    [Fact]
    public void Drained_comes_after_the_answer_of_the_last_run_that_finished_within_grace()
    {
        var supervisor = StartSupervisor();
        var client = CreateTestProbe(); // caller and drainer at once: its mailbox shows the order of the two replies
        supervisor.Tell(new ExecuteRun(Requests.For("last", TestNodes.Gated)), client.Ref);
        var run = Handlers.WaitForStart("last");
        supervisor.Tell(new BeginDrain(Never), client.Ref);
        Assert.Equal(new Load(Running: 1, Queued: 0, Draining: true), LoadOf(supervisor));

        run.Release();

        AssertSucceeded(client.ExpectMsg<RunAnswered>(Patience).Result, "last");
        client.ExpectMsg<Drained>(Patience);
    }

    [Fact]
    public void Drained_comes_after_the_canceled_answer_of_the_last_run_left_when_grace_is_over()
    {
        var supervisor = StartSupervisor();
        var client = CreateTestProbe();
        supervisor.Tell(new ExecuteRun(Requests.For("last", TestNodes.Stubborn)), client.Ref);
        Handlers.WaitForStart("last");

        supervisor.Tell(new BeginDrain(TimeSpan.FromMilliseconds(200)), client.Ref);

        AssertCanceled(client.ExpectMsg<RunAnswered>(Patience).Result);
        client.ExpectMsg<Drained>(Patience);
    }

    [Fact]
    public void Drain_with_nothing_running_replies_drained_at_once_and_refuses_later_runs()
    {
        var supervisor = StartSupervisor();
        var drainer = CreateTestProbe();

        supervisor.Tell(new BeginDrain(Never), drainer.Ref);

        drainer.ExpectMsg<Drained>(Patience);
        ExpectRefusal(Execute(supervisor, Requests.For("late", TestNodes.Instant)), RefusalReason.ShuttingDown);
        Assert.Equal(0, Handlers.Count);
    }

    [Fact]
    public void While_draining_a_caller_can_still_join_a_running_run_and_replay_a_finished_one()
    {
        var supervisor = StartSupervisor();
        AssertSucceeded(ExpectAnswer(Execute(supervisor, Requests.For("done", TestNodes.Instant))), "v");
        var first = Execute(supervisor, Requests.For("running", TestNodes.Gated));
        var run = Handlers.WaitForStart("running");
        supervisor.Tell(new BeginDrain(Never), CreateTestProbe().Ref);

        var joiner = Execute(supervisor, Requests.For("running", TestNodes.Gated));
        var replay = ExpectAnswer(Execute(supervisor, Requests.For("done", TestNodes.Instant)));
        run.Release();

        AssertSucceeded(replay, "v");
        Assert.Equal(ExpectAnswer(first), ExpectAnswer(joiner));
        Assert.Equal(1, Handlers.CountFor("running"));
        Assert.Equal(1, Handlers.CountFor("done"));
    }

    [Fact]
    public void A_second_drain_request_is_answered_too()
    {
        var supervisor = StartSupervisor();
        var running = Execute(supervisor, Requests.For("running", TestNodes.Gated));
        var run = Handlers.WaitForStart("running");
        var firstDrainer = CreateTestProbe();
        var secondDrainer = CreateTestProbe();
        supervisor.Tell(new BeginDrain(Never), firstDrainer.Ref);
        supervisor.Tell(new BeginDrain(Never), secondDrainer.Ref);
        Assert.Equal(new Load(Running: 1, Queued: 0, Draining: true), LoadOf(supervisor));
        Assert.False(secondDrainer.HasMessages, "drained was reported while a run was still running");

        run.Release();

        AssertSucceeded(ExpectAnswer(running), "running");
        firstDrainer.ExpectMsg<Drained>(Patience);
        secondDrainer.ExpectMsg<Drained>(Patience);
    }
}
