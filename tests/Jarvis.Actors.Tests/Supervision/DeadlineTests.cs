using System.Diagnostics;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Supervision;
using Jarvis.Actors.Tests.Support;
using Xunit.Abstractions;

namespace Jarvis.Actors.Tests.Supervision;

public sealed class DeadlineTests(ITestOutputHelper output) : RunSupervisorTestKit(output)
{
    [Fact]
    public void Handler_ignoring_its_token_is_answered_timeout_at_the_deadline_counted_as_orphan_and_spares_its_sibling()
    {
        var supervisor = StartSupervisor(Settings(defaultTimeout: Never));
        var sibling = Execute(supervisor, Requests.For("sibling", TestNodes.Gated));
        var siblingRun = Handlers.WaitForStart("sibling");
        var clock = Stopwatch.StartNew();
        var stubborn = Execute(supervisor, Requests.For("stubborn", TestNodes.Stubborn, maxWallTime: TimeSpan.FromMilliseconds(300)));
        var stubbornRun = Handlers.WaitForStart("stubborn");

        var error = AssertFailed(ExpectAnswer(stubborn), RunErrorCodes.Timeout);

        Assert.True(clock.Elapsed < Patience, "the timeout was not answered well before the handler would have returned");
        Assert.True(error.Retryable, "a timeout must be retryable");
        Assert.False(stubbornRun.Gate.IsCompleted, "the handler was still running when the timeout was answered");
        AwaitAssert(() => Assert.True(stubbornRun.Token.IsCancellationRequested), Patience);
        AwaitAssert(() => Assert.Equal(1, Orphans.Current), Patience);

        Assert.Equal(new Load(Running: 1, Queued: 0, Draining: false), LoadOf(supervisor));
        siblingRun.Release();
        AssertSucceeded(ExpectAnswer(sibling), "sibling");

        stubbornRun.Release();
        AwaitAssert(() => Assert.Equal(0, Orphans.Current), Patience);
        Assert.Equal(1, Orphans.Total);
    }

    [Fact]
    public void Handler_blocking_its_thread_is_answered_timeout_and_counted_as_orphan()
    {
        var supervisor = StartSupervisor(Settings(defaultTimeout: TimeSpan.FromMilliseconds(300)));
        var caller = Execute(supervisor, Requests.For("blocking", TestNodes.Blocking));
        var run = Handlers.WaitForStart("blocking");

        AssertFailed(ExpectAnswer(caller), RunErrorCodes.Timeout);

        AwaitAssert(() => Assert.Equal(1, Orphans.Current), Patience);
        run.Release();
        AwaitAssert(() => Assert.Equal(0, Orphans.Current), Patience);
    }

    [Fact]
    public void Max_wall_time_smaller_than_the_default_timeout_is_the_deadline()
    {
        var supervisor = StartSupervisor(Settings(defaultTimeout: Never));
        var caller = Execute(supervisor, Requests.For("short", TestNodes.Gated, maxWallTime: TimeSpan.FromMilliseconds(250)));
        var run = Handlers.WaitForStart("short");

        var result = ExpectAnswer(caller);

        var error = AssertFailed(result, RunErrorCodes.Timeout);
        Assert.Contains("250 ms", error.Message);
        Assert.Equal(TimeSpan.FromMilliseconds(250), run.Context!.Deadline - result.StartedAt);
        AwaitAssert(() => Assert.True(run.Token.IsCancellationRequested), Patience);
    }

    [Fact]
    public void Default_timeout_is_the_deadline_when_max_wall_time_is_absent_or_larger()
    {
        var timeout = TimeSpan.FromMilliseconds(300);
        var supervisor = StartSupervisor(Settings(defaultTimeout: timeout));
        var absent = Execute(supervisor, Requests.For("absent", TestNodes.Gated));
        var larger = Execute(supervisor, Requests.For("larger", TestNodes.Gated, maxWallTime: TimeSpan.FromHours(1)));
        var absentRun = Handlers.WaitForStart("absent");
        var largerRun = Handlers.WaitForStart("larger");

        var absentResult = ExpectAnswer(absent);
        var largerResult = ExpectAnswer(larger);

        Assert.Contains("300 ms", AssertFailed(absentResult, RunErrorCodes.Timeout).Message);
        Assert.Contains("300 ms", AssertFailed(largerResult, RunErrorCodes.Timeout).Message);
        Assert.Equal(timeout, absentRun.Context!.Deadline - absentResult.StartedAt);
        Assert.Equal(timeout, largerRun.Context!.Deadline - largerResult.StartedAt);
    }

    [Fact]
    public void Run_finishing_before_its_deadline_is_not_timed_out_afterwards()
    {
        var supervisor = StartSupervisor(Settings(defaultTimeout: TimeSpan.FromMilliseconds(300)));
        var quick = Execute(supervisor, Requests.For("quick", TestNodes.Instant, value: "done"));
        AssertSucceeded(ExpectAnswer(quick), "done");

        // A later run timing out proves the first run's deadline has passed as well; its stored result must not change.
        AssertFailed(ExpectAnswer(Execute(supervisor, Requests.For("slow", TestNodes.Gated))), RunErrorCodes.Timeout);
        AssertSucceeded(ExpectAnswer(Execute(supervisor, Requests.For("quick", TestNodes.Instant, value: "done"))), "done");
        Assert.Equal(1, Handlers.CountFor("quick"));
    }
}
