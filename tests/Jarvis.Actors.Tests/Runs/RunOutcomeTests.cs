using System.Text.Json.Nodes;
using Jarvis.Actors.Registry;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Supervision;
using Jarvis.Actors.Tests.Support;
using Xunit.Abstractions;

namespace Jarvis.Actors.Tests.Runs;

/// <summary>How a single run ends, by what its node does (or is).</summary>
public sealed class RunOutcomeTests(ITestOutputHelper output) : RunSupervisorTestKit(output)
{
    [Fact]
    public void Handler_returning_valid_outputs_succeeds_with_them()
    {
        var supervisor = StartSupervisor();

        var result = ExpectAnswer(Execute(supervisor, Requests.For("ok", TestNodes.Instant, value: "hello")));

        AssertSucceeded(result, "hello");
        Assert.Null(result.Error);
        Assert.Equal("ok", result.NodeRunId);
    }

    [Fact]
    public void Node_handler_sees_the_request_in_its_context()
    {
        var supervisor = StartSupervisor();
        var request = Requests.For("ctx", TestNodes.Gated);
        var caller = Execute(supervisor, request);

        var run = Handlers.WaitForStart("ctx");
        run.Release();
        ExpectAnswer(caller);

        Assert.Equal("ctx", run.Context!.NodeRunId);
        Assert.Equal(request.RunId, run.Context.RunId);
        Assert.Equal(TestNodes.Gated, run.Context.NodeTypeId);
        Assert.True(JsonNode.DeepEquals(request.Inputs, run.Inputs));
    }

    [Fact]
    public void Unknown_node_type_fails_with_unknown_node_type()
    {
        var supervisor = StartSupervisor();

        var error = AssertFailed(ExpectAnswer(Execute(supervisor, Requests.For("u", "test.not_installed"))),
            RunErrorCodes.UnknownNodeType);

        Assert.Contains("test.not_installed", error.Message);
        Assert.NotEqual(true, error.Retryable);
    }

    [Fact]
    public void Inputs_violating_the_input_schema_fail_with_invalid_inputs_listing_each_path_and_never_reach_the_handler()
    {
        var supervisor = StartSupervisor();
        var inputs = Json.Object("""{"count": -1, "surprise": true}""");

        var error = AssertFailed(ExpectAnswer(Execute(supervisor, Requests.For("bad-in", TestNodes.Strict, inputs: inputs))),
            RunErrorCodes.InvalidInputs);

        var paths = ErrorPaths(error);
        Assert.Contains("$.inputs.name", paths);
        Assert.Contains("$.inputs.count", paths);
        Assert.Contains("$.inputs.surprise", paths);
        Assert.All(error.Details!["errors"]!.AsArray(), e => Assert.False(string.IsNullOrEmpty(e!["message"]!.GetValue<string>())));
        Assert.Equal(0, Handlers.Count);
    }

    [Fact]
    public void Inputs_matching_the_input_schema_reach_the_handler()
    {
        var supervisor = StartSupervisor();
        var inputs = Json.Object("""{"name": "n", "count": 0}""");

        var result = ExpectAnswer(Execute(supervisor, Requests.For("good-in", TestNodes.Strict, inputs: inputs)));

        Assert.Equal(RunState.Succeeded, result.State);
        Assert.Equal(1, Handlers.Count);
    }

    [Fact]
    public void Handler_rejecting_its_inputs_fails_with_invalid_inputs_and_its_message()
    {
        var supervisor = StartSupervisor();

        var error = AssertFailed(ExpectAnswer(Execute(supervisor, Requests.For("rejected", TestNodes.RejectsInputs))),
            RunErrorCodes.InvalidInputs);

        Assert.Equal("'path' must name an existing file", error.Message);
    }

    [Fact]
    public void Outputs_violating_the_output_schema_fail_with_invalid_outputs_listing_each_path()
    {
        var supervisor = StartSupervisor();

        var result = ExpectAnswer(Execute(supervisor, Requests.For("bad-out", TestNodes.BadOutputs)));

        var error = AssertFailed(result, RunErrorCodes.InvalidOutputs);
        Assert.Null(result.Outputs);
        var paths = ErrorPaths(error);
        Assert.Contains("$.outputs.count", paths);
        Assert.Contains("$.outputs.label", paths);
    }

    [Fact]
    public void Throwing_handler_fails_with_handler_error_and_a_generic_message()
    {
        var supervisor = StartSupervisor();

        var error = AssertFailed(ExpectAnswer(Execute(supervisor, Requests.For("throws", TestNodes.Throwing))),
            RunErrorCodes.HandlerError);

        Assert.DoesNotContain("secret", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(nameof(InvalidOperationException), error.Message);
        Assert.NotEqual(true, error.Retryable);
        Assert.Equal(1, Handlers.Count);
    }

    [Fact]
    public void Throwing_handler_is_logged_with_its_node_run_id_cut_and_escaped()
    {
        var errors = CreateTestProbe();
        Sys.EventStream.Subscribe(errors.Ref, typeof(Akka.Event.Error));
        var supervisor = StartSupervisor();
        const string head = "nr-evil\r\nFAKE\u001b[31m";
        const string shown = @"nr-evil\u000D\u000AFAKE\u001B[31m";
        var id = head + new string('x', 100_000);

        AssertFailed(ExpectAnswer(Execute(supervisor, Requests.For(id, TestNodes.Throwing))), RunErrorCodes.HandlerError);

        var logged = errors.FishForMessage<Akka.Event.Error>(e => e.Message.ToString()!.Contains("nr-evil"), Patience).Message.ToString();
        var xs = 128 - shown.Length;
        Assert.Equal($"handler of {TestNodes.Throwing} failed for node_run_id {shown}{new string('x', xs)}...({id.Length - head.Length - xs} more chars)",
            logged);
    }

    [Fact]
    public void Crashing_node_actor_fails_its_run_with_handler_error_and_leaves_a_concurrent_sibling_alone()
    {
        var supervisor = StartSupervisor();
        var sibling = Execute(supervisor, Requests.For("sibling", TestNodes.Gated));
        var siblingRun = Handlers.WaitForStart("sibling");

        var crashed = ExpectAnswer(Execute(supervisor, Requests.For("crash", TestNodes.Crashing)));

        var error = AssertFailed(crashed, RunErrorCodes.HandlerError);
        Assert.DoesNotContain("secret", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, Handlers.CountFor("crash")); // stopped, not restarted and re-run
        Assert.False(siblingRun.Token.IsCancellationRequested, "the sibling's handler was canceled by the crash");
        Assert.Equal(new Load(Running: 1, Queued: 0, Draining: false), LoadOf(supervisor));
        siblingRun.Release();
        AssertSucceeded(ExpectAnswer(sibling), "sibling");
        AssertSucceeded(ExpectAnswer(Execute(supervisor, Requests.For("after", TestNodes.Instant, value: "still up"))), "still up");
    }

    [Fact]
    public void Throwing_handler_leaves_a_concurrent_sibling_alone()
    {
        var supervisor = StartSupervisor();
        var sibling = Execute(supervisor, Requests.For("sibling", TestNodes.Gated));
        var siblingRun = Handlers.WaitForStart("sibling");

        AssertFailed(ExpectAnswer(Execute(supervisor, Requests.For("throws", TestNodes.Throwing))), RunErrorCodes.HandlerError);

        Assert.False(siblingRun.Token.IsCancellationRequested);
        siblingRun.Release();
        AssertSucceeded(ExpectAnswer(sibling), "sibling");
    }

    [Fact]
    public void Crashing_run_actor_fails_its_run_with_handler_error_and_leaves_a_concurrent_sibling_alone()
    {
        var catalog = NodeCatalog.Build([Nodes.Pack], Orphans);
        var registry = Sys.ActorOf(PoisoningRegistryActor.Props(catalog));
        var supervisor = Sys.ActorOf(RunSupervisor.Props(Settings(), registry));
        var sibling = Execute(supervisor, Requests.For("sibling", TestNodes.Gated));
        var siblingRun = Handlers.WaitForStart("sibling");

        var crashed = ExpectAnswer(Execute(supervisor, Requests.For("crash", PoisoningRegistryActor.PoisonedNodeTypeId)));

        AssertFailed(crashed, RunErrorCodes.HandlerError);
        Assert.Equal(new Load(Running: 1, Queued: 0, Draining: false), LoadOf(supervisor));
        Assert.False(siblingRun.Token.IsCancellationRequested);
        siblingRun.Release();
        AssertSucceeded(ExpectAnswer(sibling), "sibling");
    }

    [Fact]
    public void Handler_taking_apart_its_inputs_does_not_change_the_request_it_is_remembered_by()
    {
        var supervisor = StartSupervisor();
        var first = ExpectAnswer(Execute(supervisor, Requests.For("moved", TestNodes.MovesInputs, value: "payload")));
        AssertSucceeded(first, "payload");

        var replayed = ExpectAnswer(Execute(supervisor, Requests.For("moved", TestNodes.MovesInputs, value: "payload")));

        AssertSameResult(first, replayed);
        Assert.Equal(1, Handlers.CountFor("moved"));
    }

    private static List<string> ErrorPaths(RunError error) =>
        error.Details!["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()).ToList();
}
