using Jarvis.Actors.Supervision;
using Jarvis.Actors.Tests.Support;
using Xunit.Abstractions;

namespace Jarvis.Actors.Tests.Supervision;

public sealed class CancelTests(ITestOutputHelper output) : RunSupervisorTestKit(output)
{
    [Fact]
    public void Cancel_of_a_running_run_answers_canceled_and_cancels_the_handler()
    {
        var supervisor = StartSupervisor();
        var caller = Execute(supervisor, Requests.For("r", TestNodes.Gated));
        var run = Handlers.WaitForStart("r");

        Cancel(supervisor, "r");

        AssertCanceled(ExpectAnswer(caller));
        AwaitAssert(() => Assert.True(run.Token.IsCancellationRequested), Patience);
        Assert.Equal(new Load(0, 0, false), LoadOf(supervisor));
    }

    [Fact]
    public void Canceled_run_is_remembered_so_a_re_execute_answers_canceled_without_running()
    {
        var supervisor = StartSupervisor();
        var caller = Execute(supervisor, Requests.For("r", TestNodes.Gated));
        Handlers.WaitForStart("r");
        Cancel(supervisor, "r");
        var canceled = ExpectAnswer(caller);

        var again = ExpectAnswer(Execute(supervisor, Requests.For("r", TestNodes.Gated)));

        AssertCanceled(again);
        AssertSameResult(canceled, again);
        Assert.Equal(1, Handlers.CountFor("r"));
    }

    [Fact]
    public void Cancel_of_a_queued_run_answers_canceled_and_it_never_starts()
    {
        var supervisor = StartSupervisor(Settings(maxConcurrency: 1, maxQueue: 2));
        var running = Execute(supervisor, Requests.For("running", TestNodes.Gated));
        var slot = Handlers.WaitForStart("running");
        var queued = Execute(supervisor, Requests.For("queued", TestNodes.Gated));

        Cancel(supervisor, "queued");

        AssertCanceled(ExpectAnswer(queued));
        Assert.Equal(new Load(Running: 1, Queued: 0, Draining: false), LoadOf(supervisor));
        slot.Release();
        AssertSucceeded(ExpectAnswer(running), "running");
        Assert.Equal(new Load(0, 0, false), LoadOf(supervisor));
        Assert.Equal(["running"], Handlers.StartOrder);
    }

    [Fact]
    public void Cancel_before_execute_makes_the_later_execute_answer_canceled_without_running()
    {
        var supervisor = StartSupervisor();

        Cancel(supervisor, "early");
        var first = ExpectAnswer(Execute(supervisor, Requests.For("early", TestNodes.Instant)));
        var second = ExpectAnswer(Execute(supervisor, Requests.For("early", TestNodes.Instant)));

        AssertCanceled(first);
        AssertCanceled(second);
        Assert.Equal(0, Handlers.Count);
    }

    [Fact]
    public void Early_cancel_of_one_id_does_not_touch_other_ids()
    {
        var supervisor = StartSupervisor();

        Cancel(supervisor, "canceled-one");

        AssertSucceeded(ExpectAnswer(Execute(supervisor, Requests.For("other", TestNodes.Instant, value: "ok"))), "ok");
        Assert.Equal(["other"], Handlers.StartOrder);
    }

    [Fact]
    public void Cancel_after_a_run_finished_leaves_its_stored_result_alone()
    {
        var supervisor = StartSupervisor();
        var done = ExpectAnswer(Execute(supervisor, Requests.For("done", TestNodes.Instant, value: "kept")));

        Cancel(supervisor, "done");

        var again = ExpectAnswer(Execute(supervisor, Requests.For("done", TestNodes.Instant, value: "kept")));
        AssertSucceeded(again, "kept");
        AssertSameResult(done, again);
        Assert.Equal(1, Handlers.CountFor("done"));
    }
}
