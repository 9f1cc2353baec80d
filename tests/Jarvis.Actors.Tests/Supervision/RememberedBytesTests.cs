using Jarvis.Actors.Runs;
using Jarvis.Actors.Supervision;
using Jarvis.Actors.Tests.Support;
using Xunit.Abstractions;

namespace Jarvis.Actors.Tests.Supervision;

/// <summary>The memory of finished runs and early cancels stays within its byte budget, whatever the outputs' size or
/// the ids' length: least recently used results go first (their duplicates run again), a result over the per-result
/// limit is answered but not kept, and long ids cost an early cancel no more than short ones.</summary>
public sealed class RememberedBytesTests(ITestOutputHelper output) : RunSupervisorTestKit(output)
{
    private const long Budget = 256 * 1024;
    private readonly RememberedLog _remembered = new();

    [Fact]
    public void Results_beyond_the_byte_budget_push_out_the_least_recently_used_whose_duplicates_run_again()
    {
        var supervisor = StartSupervisor(Settings(maxRememberedBytes: Budget), observer: _remembered);
        var output = new string('x', 10_000); // a 10 KB result: 26 of them are more than the budget holds
        for (var i = 0; i < 40; i++)
            AssertSucceeded(ExpectAnswer(Execute(supervisor, Requests.For($"big-{i}", TestNodes.Instant, value: output))), output);

        var (runs, bytes) = _remembered.Last;
        Assert.InRange(bytes, 1, Budget);
        Assert.InRange(runs, 1, 39);
        // the newest is replayed, the oldest was forgotten and runs again
        AssertSucceeded(ExpectAnswer(Execute(supervisor, Requests.For("big-39", TestNodes.Instant, value: output))), output);
        Assert.Equal(1, Handlers.CountFor("big-39"));
        AssertSucceeded(ExpectAnswer(Execute(supervisor, Requests.For("big-0", TestNodes.Instant, value: output))), output);
        Assert.Equal(2, Handlers.CountFor("big-0"));
    }

    [Fact]
    public void A_result_over_the_per_result_limit_is_answered_but_not_kept_and_its_duplicate_runs_again()
    {
        var settings = Settings(maxRememberedBytes: Budget);
        var supervisor = StartSupervisor(settings, observer: _remembered);
        var huge = new string('y', (int)settings.MaxRememberedResultBytes);
        AssertSucceeded(ExpectAnswer(Execute(supervisor, Requests.For("small", TestNodes.Instant, value: "s"))), "s");

        AssertSucceeded(ExpectAnswer(Execute(supervisor, Requests.For("huge", TestNodes.Instant, value: huge))), huge);
        AssertSucceeded(ExpectAnswer(Execute(supervisor, Requests.For("huge", TestNodes.Instant, value: huge))), huge);

        Assert.Equal(2, Handlers.CountFor("huge"));
        Assert.Equal(1, _remembered.Last.Runs); // only "small", which the huge one did not push out
        AssertSucceeded(ExpectAnswer(Execute(supervisor, Requests.For("small", TestNodes.Instant, value: "s"))), "s");
        Assert.Equal(1, Handlers.CountFor("small"));
    }

    [Fact]
    public void Early_cancels_of_long_ids_cost_what_short_ones_do_and_still_cancel_their_execute()
    {
        var supervisor = StartSupervisor(Settings(maxRememberedBytes: Budget), observer: _remembered);
        var ids = Enumerable.Range(0, 200).Select(i => $"{i}-{new string('k', 60_000)}").ToList(); // 24 MB of ids

        foreach (var id in ids) Cancel(supervisor, id);

        var (runs, bytes) = _remembered.Last;
        Assert.Equal(200, runs); // all fit: each is a hash, not 120 kB of id
        Assert.InRange(bytes, 1, 200 * 1024);
        var result = ExpectAnswer(Execute(supervisor, Requests.For(ids[0], TestNodes.Instant)));
        Assert.Equal(RunState.Canceled, result.State);
        Assert.Equal(ids[0], result.NodeRunId);
        Assert.Equal(0, Handlers.Count);
    }

    [Fact]
    public void Long_ids_that_differ_only_at_the_end_are_told_apart()
    {
        var supervisor = StartSupervisor(); // the default budget: a result holding a 10 kB id is well within its per-result limit
        var stem = new string('z', 10_000);
        var first = Requests.For(stem + "1", TestNodes.Instant, value: "one");

        AssertSucceeded(ExpectAnswer(Execute(supervisor, first)), "one");
        AssertSucceeded(ExpectAnswer(Execute(supervisor, Requests.For(stem + "2", TestNodes.Instant, value: "two"))), "two");
        AssertSucceeded(ExpectAnswer(Execute(supervisor, first)), "one"); // replayed
        ExpectRefusal(Execute(supervisor, Requests.For(stem + "1", TestNodes.Instant, value: "other")), RefusalReason.Conflict);

        Assert.Equal(2, Handlers.Count);
    }

    private sealed class RememberedLog : IRunObserver
    {
        private (int Runs, long Bytes) _last;
        public (int Runs, long Bytes) Last { get { lock (this) return _last; } }
        public void RunStarted(RunRequest request, TimeSpan queued) { }
        public void RunFinished(RunRequest request, RunResult result, TimeSpan queued) { }
        public void RunRefused(RunRequest request, RefusalReason reason) { }
        public void LoadChanged(int running, int queued) { }
        public void RememberedChanged(int runs, long bytes) { lock (this) _last = (runs, bytes); }
    }
}
