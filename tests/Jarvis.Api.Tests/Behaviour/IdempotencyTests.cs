using System.Net;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Behaviour;

/// <summary>node_run_id identifies a run: a repeat replays it, a concurrent repeat joins it, a different request conflicts.</summary>
public sealed class IdempotencyTests
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Same_request_twice_replays_an_identical_body()
    {
        await using var server = await ExecutorServer.StartAsync();
        var request = ExecuteRequests.For("jarvis.core.uuid4", [], ExecuteRequests.NewId());

        var first = await HttpAssert.JsonAsync(await server.Client.ExecuteAsync(request), HttpStatusCode.OK);
        var second = await HttpAssert.JsonAsync(await server.Client.ExecuteAsync(request), HttpStatusCode.OK);

        Assert.Equal(first, second); // same uuid, same started_at and ended_at: the run was not executed again
        await SpecSchemas.AssertValidAsync(SpecSchemas.ExecuteResult, second);
    }

    [Fact]
    public async Task Failed_results_are_replayed_too()
    {
        await using var server = await ExecutorServer.StartAsync();
        var request = ExecuteRequests.For("jarvis.core.echo", new() { ["echo"] = 1 }, ExecuteRequests.NewId());

        var first = await HttpAssert.JsonAsync(await server.Client.ExecuteAsync(request), HttpStatusCode.OK);
        var second = await HttpAssert.JsonAsync(await server.Client.ExecuteAsync(request), HttpStatusCode.OK);

        Assert.Contains("invalid_inputs", first);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Same_request_while_in_flight_joins_the_running_run()
    {
        await using var server = await ExecutorServer.StartAsync();
        // A timeout is retryable and so never stored for replay: the only way both callers can see the same
        // started_at is that the second joined the first while it ran.
        var request = ExecuteRequests.Sleep(30, ExecuteRequests.NewId(), maxWallTimeMs: 5000);
        var first = server.Client.ExecuteAsync(request);
        await server.Client.WaitForRunningAsync(1);

        var second = server.Client.ExecuteAsync(request);

        var a = await HttpAssert.JsonAsync(await first.Within(Bounded, "first caller"), HttpStatusCode.OK);
        var b = await HttpAssert.JsonAsync(await second.Within(Bounded, "second caller"), HttpStatusCode.OK);
        Assert.Contains("\"timeout\"", a);
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task The_same_number_written_differently_is_the_same_request()
    {
        await using var server = await ExecutorServer.StartAsync();
        var id = ExecuteRequests.NewId();
        var written = ExecuteRequests.For("jarvis.core.sleep", (JsonObject)JsonNode.Parse("""{"seconds":0.001}""")!, id);
        var rewritten = ExecuteRequests.For("jarvis.core.sleep", (JsonObject)JsonNode.Parse("""{"seconds":1.0e-3}""")!, id);

        var first = await HttpAssert.JsonAsync(await server.Client.ExecuteAsync(written), HttpStatusCode.OK);
        var second = await HttpAssert.JsonAsync(await server.Client.ExecuteAsync(rewritten), HttpStatusCode.OK);

        Assert.Contains("succeeded", first);
        Assert.Equal(first, second); // same started_at and ended_at: replayed, not run again
    }

    [Fact]
    public async Task Different_inputs_under_a_finished_id_is_409_node_run_conflict()
    {
        await using var server = await ExecutorServer.StartAsync();
        var id = ExecuteRequests.NewId();
        await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(ExecuteRequests.Echo("a", id)), "succeeded");

        var error = await HttpAssert.ErrorAsync(await server.Client.ExecuteAsync(ExecuteRequests.Echo("b", id)), HttpStatusCode.Conflict, "node_run_conflict");

        Assert.Contains(id, error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Different_node_type_under_a_running_id_is_409_and_leaves_the_run_alone()
    {
        await using var server = await ExecutorServer.StartAsync();
        var id = ExecuteRequests.NewId();
        var running = server.Client.ExecuteAsync(ExecuteRequests.Sleep(30, id));
        await server.Client.WaitForRunningAsync(1);

        await HttpAssert.ErrorAsync(await server.Client.ExecuteAsync(ExecuteRequests.Echo("x", id)), HttpStatusCode.Conflict, "node_run_conflict");

        Assert.False(running.IsCompleted);
        await server.Client.CancelAsync(id);
        await HttpAssert.ResultAsync(await running.Within(Bounded, "running sleep"), "canceled");
    }
}
