using System.Net;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Conformance;

/// <summary>Every execute outcome the core nodes can produce, each checked against atomic_execute_result.schema.json
/// (which also rejects null for absent optional fields).</summary>
public sealed class ExecuteResultSchemaTests
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Succeeded_result_matches_schema()
    {
        await using var server = await ExecutorServer.StartAsync();
        var result = await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(ExecuteRequests.Echo("hi")), "succeeded");
        Assert.Null(result["error"]);
        Assert.NotNull(result["started_at"]);
        Assert.NotNull(result["ended_at"]);
    }

    [Fact]
    public async Task Unknown_node_type_result_matches_schema()
    {
        await using var server = await ExecutorServer.StartAsync();
        var request = ExecuteRequests.For("jarvis.core.does-not-exist", new JsonObject());
        await HttpAssert.FailedAsync(await server.Client.ExecuteAsync(request), "unknown_node_type");
    }

    [Fact]
    public async Task Invalid_inputs_result_matches_schema_and_names_the_input()
    {
        await using var server = await ExecutorServer.StartAsync();
        var request = ExecuteRequests.For("jarvis.core.echo", new JsonObject { ["echo"] = 42, ["extra"] = true });

        var error = await HttpAssert.FailedAsync(await server.Client.ExecuteAsync(request), "invalid_inputs");

        var paths = HttpAssert.SchemaErrors(error).Select(e => e.Path).ToList();
        Assert.Contains("$.inputs.echo", paths);
        Assert.Contains(paths, p => p.StartsWith("$.inputs", StringComparison.Ordinal) && p != "$.inputs.echo");
    }

    [Fact]
    public async Task Invalid_inputs_found_by_the_handler_matches_schema()
    {
        await using var server = await ExecutorServer.StartAsync();
        // Base64 that does not decode: passes the input_schema (a string), refused by the sha256 handler itself.
        var request = ExecuteRequests.For("jarvis.core.hash.sha256", new JsonObject { ["content_base64"] = "not base64!" });
        await HttpAssert.FailedAsync(await server.Client.ExecuteAsync(request), "invalid_inputs");
    }

    [Fact]
    public async Task Handler_error_result_matches_schema_without_internals()
    {
        await using var server = await ExecutorServer.StartAsync([new MisbehavingNodePack()]);
        var response = await server.Client.ExecuteAsync(MisbehavingNodePack.Request(MisbehavingNodePack.Throws));
        var error = await HttpAssert.FailedAsync(response, "handler_error");
        HttpAssert.AssertNoInternals(error.ToJsonString());
        Assert.DoesNotContain("hunter2", error.ToJsonString());
    }

    [Fact]
    public async Task Invalid_outputs_result_matches_schema_and_names_the_output()
    {
        await using var server = await ExecutorServer.StartAsync([new MisbehavingNodePack()]);
        var response = await server.Client.ExecuteAsync(MisbehavingNodePack.Request(MisbehavingNodePack.BadOutputs));
        var error = await HttpAssert.FailedAsync(response, "invalid_outputs");
        Assert.Contains(error["details"]!["errors"]!.AsArray(), e => e!["path"]!.GetValue<string>() == "$.outputs.count");
    }

    [Fact]
    public async Task Timeout_result_matches_schema_and_is_retryable()
    {
        await using var server = await ExecutorServer.StartAsync();
        var response = await server.Client.ExecuteAsync(ExecuteRequests.Sleep(30, maxWallTimeMs: 200)).Within(Bounded, "timed-out execute");
        var error = await HttpAssert.FailedAsync(response, "timeout");
        Assert.True(error["retryable"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Canceled_result_matches_schema()
    {
        await using var server = await ExecutorServer.StartAsync();
        var id = ExecuteRequests.NewId();
        var execute = server.Client.ExecuteAsync(ExecuteRequests.Sleep(30, id));
        await server.Client.WaitForRunningAsync(1);

        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.CancelAsync(id)).StatusCode);

        var result = await HttpAssert.ResultAsync(await execute.Within(Bounded, "canceled execute"), "canceled");
        Assert.Equal("canceled", result["error"]!["code"]!.GetValue<string>());
        Assert.Null(result["outputs"]);
    }
}
