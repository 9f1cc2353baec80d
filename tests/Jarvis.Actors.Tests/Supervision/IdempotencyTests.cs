using System.Text.Json.Nodes;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Supervision;
using Jarvis.Actors.Tests.Support;
using Xunit.Abstractions;

namespace Jarvis.Actors.Tests.Supervision;

public sealed class IdempotencyTests(ITestOutputHelper output) : RunSupervisorTestKit(output)
{
    [Fact]
    public void Second_execute_of_a_running_id_joins_it_one_handler_call_same_result_to_both()
    {
        var supervisor = StartSupervisor();
        var first = Execute(supervisor, Requests.For("shared", TestNodes.Gated));
        var run = Handlers.WaitForStart("shared");
        var second = Execute(supervisor, Requests.For("shared", TestNodes.Gated));
        Assert.Equal(new Load(Running: 1, Queued: 0, Draining: false), LoadOf(supervisor)); // the join is processed

        run.Release();

        var firstResult = ExpectAnswer(first);
        var secondResult = ExpectAnswer(second);
        AssertSucceeded(firstResult, "shared");
        AssertSameResult(firstResult, secondResult);
        Assert.Equal(1, Handlers.CountFor("shared"));
    }

    [Fact]
    public void Second_execute_of_a_queued_id_joins_it_and_takes_no_extra_queue_place()
    {
        var supervisor = StartSupervisor(Settings(maxConcurrency: 1, maxQueue: 1));
        var running = Execute(supervisor, Requests.For("running", TestNodes.Gated));
        var slot = Handlers.WaitForStart("running");
        var first = Execute(supervisor, Requests.For("queued", TestNodes.Gated));
        var second = Execute(supervisor, Requests.For("queued", TestNodes.Gated));

        Assert.Equal(new Load(Running: 1, Queued: 1, Draining: false), LoadOf(supervisor));
        slot.Release();
        AssertSucceeded(ExpectAnswer(running), "running");
        Handlers.WaitForStart("queued").Release();

        var firstResult = ExpectAnswer(first);
        AssertSucceeded(firstResult, "queued");
        AssertSameResult(firstResult, ExpectAnswer(second));
        Assert.Equal(1, Handlers.CountFor("queued"));
    }

    [Fact]
    public void Execute_of_a_finished_id_returns_the_stored_result_without_calling_the_handler_again()
    {
        var supervisor = StartSupervisor();
        var stored = ExpectAnswer(Execute(supervisor, Requests.For("once", TestNodes.Instant, value: "first")));

        var replayed = ExpectAnswer(Execute(supervisor, Requests.For("once", TestNodes.Instant, value: "first")));

        AssertSucceeded(replayed, "first");
        AssertSameResult(stored, replayed);
        Assert.Equal(1, Handlers.CountFor("once"));
    }

    [Fact]
    public void Failed_non_retryable_result_is_stored_too()
    {
        var supervisor = StartSupervisor();
        var failed = ExpectAnswer(Execute(supervisor, Requests.For("boom", TestNodes.Throwing)));
        AssertFailed(failed, RunErrorCodes.HandlerError);

        Assert.Equal(failed, ExpectAnswer(Execute(supervisor, Requests.For("boom", TestNodes.Throwing))));
        Assert.Equal(1, Handlers.CountFor("boom"));
    }

    [Fact]
    public void Retryable_timeout_is_not_stored_so_a_re_execute_runs_the_handler_again()
    {
        var supervisor = StartSupervisor();
        var request = Requests.For("retry-me", TestNodes.Gated, maxWallTime: TimeSpan.FromMilliseconds(250));
        AssertFailed(ExpectAnswer(Execute(supervisor, request)), RunErrorCodes.Timeout);

        var retry = Execute(supervisor, Requests.For("retry-me", TestNodes.Gated, maxWallTime: TimeSpan.FromMilliseconds(250)));
        Handlers.WaitForStart("retry-me", occurrence: 2).Release();

        AssertSucceeded(ExpectAnswer(retry), "retry-me");
        Assert.Equal(2, Handlers.CountFor("retry-me"));
    }

    [Fact]
    public void Same_id_with_other_inputs_or_node_type_ref_while_in_flight_is_refused_conflict()
    {
        var supervisor = StartSupervisor();
        var original = Execute(supervisor, Requests.For("id-1", TestNodes.Gated, value: "a"));
        var run = Handlers.WaitForStart("id-1");

        ExpectRefusal(Execute(supervisor, Requests.For("id-1", TestNodes.Gated, value: "b")), RefusalReason.Conflict);
        ExpectRefusal(Execute(supervisor, Requests.For("id-1", TestNodes.Gated, value: "a", version: "2.0.0")), RefusalReason.Conflict);
        ExpectRefusal(Execute(supervisor, Requests.For("id-1", TestNodes.Stubborn, value: "a")), RefusalReason.Conflict);

        run.Release();
        AssertSucceeded(ExpectAnswer(original), "id-1");
        Assert.Equal(1, Handlers.Count);
    }

    [Fact]
    public void Same_id_with_other_inputs_after_it_finished_is_refused_conflict_while_the_same_request_replays()
    {
        var supervisor = StartSupervisor();
        var stored = ExpectAnswer(Execute(supervisor, Requests.For("id-1", TestNodes.Instant, value: "a")));

        ExpectRefusal(Execute(supervisor, Requests.For("id-1", TestNodes.Instant, value: "b")), RefusalReason.Conflict);
        ExpectRefusal(Execute(supervisor, Requests.For("id-1", TestNodes.Instant,
            inputs: new JsonObject { ["value"] = "a", ["extra"] = 1 })), RefusalReason.Conflict);

        AssertSameResult(stored, ExpectAnswer(Execute(supervisor, Requests.For("id-1", TestNodes.Instant, value: "a"))));
        Assert.Equal(1, Handlers.Count);
    }

    [Fact]
    public void Inputs_equal_as_json_are_the_same_request_whatever_their_property_order()
    {
        var supervisor = StartSupervisor();
        var stored = ExpectAnswer(Execute(supervisor, Requests.For("id-1", TestNodes.Instant,
            inputs: Json.Object("""{"value": "x", "n": 1}"""))));

        var replayed = ExpectAnswer(Execute(supervisor, Requests.For("id-1", TestNodes.Instant,
            inputs: Json.Object("""{"n": 1, "value": "x"}"""))));

        AssertSameResult(stored, replayed);
        Assert.Equal(1, Handlers.Count);
    }

    [Fact]
    public void A_remembered_result_holds_its_outputs_as_bytes_not_the_objects_the_handler_returned()
    {
        // Handler outputs are often pieces of the parsed request (echo), which would keep the whole request
        // alive for the TTL; a remembered run must let them go and still replay an equal result.
        var supervisor = StartSupervisor();
        var handlerOutputs = RunAndDropAnswer(supervisor, "remembered");
        ExpectAnswer(Execute(supervisor, Requests.For("other", TestNodes.Instant))); // the test kit keeps the last message

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(handlerOutputs.IsAlive, "the stored result still references the handler's output objects");
        AssertSucceeded(ExpectAnswer(Execute(supervisor, Requests.For("remembered", TestNodes.Instant, value: "kept"))), "kept");
        Assert.Equal(1, Handlers.CountFor("remembered"));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private WeakReference RunAndDropAnswer(Akka.Actor.IActorRef supervisor, string nodeRunId)
    {
        var answer = ExpectAnswer(Execute(supervisor, Requests.For(nodeRunId, TestNodes.Instant, value: "kept")));
        AssertSucceeded(answer, "kept");
        return Handlers.WaitForStart(nodeRunId).Returned!;
    }

    [Fact]
    public void Stored_result_is_forgotten_after_the_result_ttl_and_the_id_runs_again()
    {
        var clock = new ManualClock();
        var supervisor = StartSupervisor(Settings(resultTtl: TimeSpan.FromMinutes(5)), clock);
        ExpectAnswer(Execute(supervisor, Requests.For("ttl", TestNodes.Instant)));
        clock.Advance(TimeSpan.FromMinutes(4));
        ExpectAnswer(Execute(supervisor, Requests.For("ttl", TestNodes.Instant)));
        Assert.Equal(1, Handlers.CountFor("ttl"));

        clock.Advance(TimeSpan.FromMinutes(1));
        AssertSucceeded(ExpectAnswer(Execute(supervisor, Requests.For("ttl", TestNodes.Instant, value: "fresh"))), "fresh");

        Assert.Equal(2, Handlers.CountFor("ttl"));
    }

    [Fact]
    public void Only_the_most_recent_max_remembered_runs_are_stored()
    {
        var supervisor = StartSupervisor(Settings(maxRememberedRuns: 2));
        foreach (var id in new[] { "oldest", "middle", "newest" })
            ExpectAnswer(Execute(supervisor, Requests.For(id, TestNodes.Instant)));

        ExpectAnswer(Execute(supervisor, Requests.For("newest", TestNodes.Instant)));
        Assert.Equal(1, Handlers.CountFor("newest"));
        ExpectAnswer(Execute(supervisor, Requests.For("oldest", TestNodes.Instant)));
        Assert.Equal(2, Handlers.CountFor("oldest"));
    }

    [Fact]
    public void Early_cancel_is_forgotten_after_the_result_ttl()
    {
        var clock = new ManualClock();
        var supervisor = StartSupervisor(Settings(resultTtl: TimeSpan.FromMinutes(5)), clock);
        Cancel(supervisor, "late");

        clock.Advance(TimeSpan.FromMinutes(5));

        AssertSucceeded(ExpectAnswer(Execute(supervisor, Requests.For("late", TestNodes.Instant, value: "ran"))), "ran");
        Assert.Equal(1, Handlers.CountFor("late"));
    }
}
