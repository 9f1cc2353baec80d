using System.Net;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Behaviour;

/// <summary>The core nodes over HTTP, and the node-types listing.</summary>
public sealed class CoreNodeTests
{
    [Fact]
    public async Task Echo_returns_its_input()
    {
        await using var server = await ExecutorServer.StartAsync();
        var id = ExecuteRequests.NewId();

        var result = await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(ExecuteRequests.Echo("hi", id)), "succeeded");

        Assert.Equal(id, result["node_run_id"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"echo":"hi"}"""), result["outputs"]), result.ToJsonString());
    }

    [Fact]
    public async Task Sha256_of_abc_is_the_known_digest()
    {
        await using var server = await ExecutorServer.StartAsync();
        var request = ExecuteRequests.For("jarvis.core.hash.sha256", new JsonObject { ["text"] = "abc" });

        var result = await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(request), "succeeded");

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", result["outputs"]!["sha256"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("shift_jis")]
    [InlineData("no-such-encoding")]
    [InlineData("utf-7")]
    public async Task Sha256_with_an_unsupported_encoding_is_invalid_inputs(string encoding)
    {
        await using var server = await ExecutorServer.StartAsync();
        var request = ExecuteRequests.For("jarvis.core.hash.sha256", new JsonObject { ["text"] = "abc", ["encoding"] = encoding });

        var error = await HttpAssert.FailedAsync(await server.Client.ExecuteAsync(request), "invalid_inputs");

        Assert.Contains(encoding, error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sleep_reports_how_long_it_slept()
    {
        await using var server = await ExecutorServer.StartAsync();
        var result = await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(ExecuteRequests.Sleep(0.05)), "succeeded");
        Assert.True(result["outputs"]!["slept_seconds"]!.GetValue<double>() >= 0.05, result.ToJsonString());
    }

    [Fact]
    public async Task Uuid4_returns_a_fresh_version_4_uuid()
    {
        await using var server = await ExecutorServer.StartAsync();
        var first = await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(ExecuteRequests.For("jarvis.core.uuid4", [])), "succeeded");
        var second = await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(ExecuteRequests.For("jarvis.core.uuid4", [])), "succeeded");

        var uuid = first["outputs"]!["uuid4"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", uuid);
        Assert.NotEqual(uuid, second["outputs"]!["uuid4"]!.GetValue<string>());
    }

    [Fact]
    public async Task Time_now_returns_a_current_utc_timestamp()
    {
        await using var server = await ExecutorServer.StartAsync();
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        var result = await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(ExecuteRequests.For("jarvis.core.time.now", [])), "succeeded");

        var time = DateTimeOffset.Parse(result["outputs"]!["time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(time, before, DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Node_types_lists_the_five_core_nodes_and_web_fetch()
    {
        await using var server = await ExecutorServer.StartAsync();
        var body = await HttpAssert.JsonAsync(await server.Client.GetAsync("/v1/node-types"), HttpStatusCode.OK);

        var ids = JsonNode.Parse(body)!.AsArray().Select(n => n!["node_type_id"]!.GetValue<string>()).ToList();

        Assert.Equal(
            ["jarvis.core.echo", "jarvis.core.hash.sha256", "jarvis.core.sleep", "jarvis.core.time.now", "jarvis.core.uuid4", "jarvis.web.fetch"],
            ids.Order(StringComparer.Ordinal));
        Assert.All(JsonNode.Parse(body)!.AsArray(), n => Assert.Equal("atomic", n!["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Metrics_expose_jarvis_runs_finished_total_after_a_run()
    {
        await using var server = await ExecutorServer.StartAsync();
        await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(ExecuteRequests.Echo("counted")), "succeeded");

        var response = await server.Client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.ContentType()?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Matches("""(?m)^jarvis_runs_finished_total\{[^}]*node_type_id="jarvis\.core\.echo"[^}]*state="succeeded"[^}]*\} [1-9]""", text);
    }
}
