using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;
using Jarvis.Tests.Shared;
using Microsoft.AspNetCore.Http;

namespace Jarvis.Api.Tests.Behaviour;

/// <summary><c>jarvis.web.fetch</c> end to end through the executor, with JARVIS_ATOMIC_HTTP_* as an operator sets
/// them, against loopback servers the tests start (and allow explicitly where they must be reached).</summary>
public sealed class WebFetchTests
{
    private const string Allowed = "JARVIS_ATOMIC_HTTP_ALLOWED_HOSTS";

    [Fact]
    public async Task A_successful_fetch_returns_outputs_valid_against_the_node_output_schema()
    {
        var body = Encoding.UTF8.GetBytes("""{"hello": "wörld"}""");
        await using var site = await LoopbackServer.StartAsync("127.0.0.1", async (context, stop) =>
        {
            context.Response.ContentType = "application/json";
            context.Response.Headers["X-Site"] = "loopback";
            await context.Response.Body.WriteAsync(body, stop);
        });
        await using var server = await ExecutorServer.StartAsync((Allowed, "127.0.0.1"));

        var result = await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(ExecuteRequests.Fetch(site.Url("/data?x=1").AbsoluteUri)), "succeeded");

        var outputs = result["outputs"]!;
        await AssertMatchesOutputSchemaAsync(server, outputs);
        Assert.Equal(200, outputs["status_code"]!.GetValue<int>());
        Assert.Equal("application/json", outputs["content_type"]!.GetValue<string>());
        Assert.Equal(body, Convert.FromBase64String(outputs["content_base64"]!.GetValue<string>()));
        Assert.Equal(body.Length, outputs["content_bytes"]!.GetValue<int>());
        Assert.Equal(site.Url("/data?x=1").AbsoluteUri, outputs["final_url"]!.GetValue<string>());
        Assert.Contains(outputs["headers"]!.AsArray(), h => h!["key"]!.GetValue<string>() == "X-Site" && h["value"]!.GetValue<string>() == "loopback");
        Assert.Equal(1, site.RequestCount);
    }

    [Fact]
    public async Task A_loopback_server_that_is_not_allowed_is_egress_denied_and_never_reached()
    {
        await using var site = await LoopbackServer.StartOkAsync("127.0.0.1");
        await using var server = await ExecutorServer.StartAsync();

        var error = await HttpAssert.FailedAsync(await server.Client.ExecuteAsync(ExecuteRequests.Fetch(site.Url("/").AbsoluteUri)), "egress_denied");

        Assert.Contains("loopback", error["message"]!.GetValue<string>());
        Assert.False(error["retryable"]?.GetValue<bool>() ?? false);
        Assert.Equal(0, site.RequestCount);
    }

    [Fact]
    public async Task A_redirect_to_a_host_that_is_not_allowed_is_egress_denied_and_the_target_never_reached()
    {
        await using var target = await LoopbackServer.StartOkAsync("127.0.0.2");
        await using var site = await LoopbackServer.StartAsync("127.0.0.1", Respond.Redirect(target.Url("/internal").AbsoluteUri));
        await using var server = await ExecutorServer.StartAsync((Allowed, "127.0.0.1"));

        await HttpAssert.FailedAsync(await server.Client.ExecuteAsync(ExecuteRequests.Fetch(site.Url("/").AbsoluteUri)), "egress_denied");

        Assert.Equal(1, site.RequestCount);
        Assert.Equal(0, target.RequestCount);
    }

    [Fact]
    public async Task A_blocked_host_is_egress_denied_even_when_allowed()
    {
        await using var site = await LoopbackServer.StartOkAsync("127.0.0.1");
        await using var server = await ExecutorServer.StartAsync((Allowed, "127.0.0.1"), ("JARVIS_ATOMIC_HTTP_BLOCKED_HOSTS", "127.0.0.1"));

        var error = await HttpAssert.FailedAsync(await server.Client.ExecuteAsync(ExecuteRequests.Fetch(site.Url("/").AbsoluteUri)), "egress_denied");

        Assert.Contains("blocked", error["message"]!.GetValue<string>());
        Assert.Equal(0, site.RequestCount);
    }

    [Fact]
    public async Task An_endless_body_beyond_the_operator_max_bytes_is_response_too_large()
    {
        await using var site = await LoopbackServer.StartAsync("127.0.0.1", Respond.Endless);
        await using var server = await ExecutorServer.StartAsync((Allowed, "127.0.0.1"), ("JARVIS_ATOMIC_HTTP_MAX_BYTES", "65536"));

        var error = await HttpAssert.FailedAsync(
            await server.Client.ExecuteAsync(ExecuteRequests.Fetch(site.Url("/").AbsoluteUri, """{"max_bytes": 100000000}""")), "response_too_large");

        Assert.Equal(65536, error["details"]!["max_bytes"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_server_that_never_answers_is_a_retryable_fetch_timeout_after_the_operator_timeout()
    {
        await using var site = await LoopbackServer.StartAsync("127.0.0.1", Respond.Hold);
        await using var server = await ExecutorServer.StartAsync((Allowed, "127.0.0.1"), ("JARVIS_ATOMIC_HTTP_TIMEOUT_SECONDS", "0.5"));

        var response = await server.Client.ExecuteAsync(ExecuteRequests.Fetch(site.Url("/").AbsoluteUri, """{"timeout_seconds": 600}"""));
        var error = await HttpAssert.FailedAsync(response, "fetch_timeout");

        Assert.True(error["retryable"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Node_types_describes_the_operator_egress_policy()
    {
        await using var server = await ExecutorServer.StartAsync(
            (Allowed, "127.0.0.1, *.example.invalid"), ("JARVIS_ATOMIC_HTTP_BLOCKED_HOSTS", "10.0.0.0/8"),
            ("JARVIS_ATOMIC_HTTP_TIMEOUT_SECONDS", "2.5"), ("JARVIS_ATOMIC_HTTP_MAX_BYTES", "1234"));

        var fetch = await FetchNodeTypeAsync(server);

        var policy = fetch["extensions"]!["jarvis.egress_policy"]!;
        Assert.Equal(["127.0.0.1", "*.example.invalid"], policy["allowed_hosts"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Equal(["10.0.0.0/8"], policy["blocked_hosts"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Equal(2.5, policy["timeout_seconds"]!.GetValue<double>());
        Assert.Equal(1234, policy["max_bytes"]!.GetValue<long>());
    }

    private static async Task<JsonNode> FetchNodeTypeAsync(ExecutorServer server)
    {
        var body = await HttpAssert.JsonAsync(await server.Client.GetAsync("/v1/node-types"), HttpStatusCode.OK);
        return JsonNode.Parse(body)!.AsArray().Single(n => n!["node_type_id"]!.GetValue<string>() == "jarvis.web.fetch")!;
    }

    /// <summary>Checks <paramref name="outputs"/> with NJsonSchema against the output_schema the executor publishes.</summary>
    private static async Task AssertMatchesOutputSchemaAsync(ExecutorServer server, JsonNode outputs)
    {
        var schema = await NJsonSchema.JsonSchema.FromJsonAsync((await FetchNodeTypeAsync(server))["output_schema"]!.ToJsonString());
        var errors = schema.Validate(outputs.ToJsonString());
        Assert.True(errors.Count == 0, $"outputs do not match output_schema: {string.Join("; ", errors)}\n{outputs.ToJsonString()}");
        foreach (var field in new[] { "status_code", "headers", "content_type", "content_base64", "final_url", "content_bytes" })
            Assert.True(outputs[field] is not null, $"outputs lack {field}: {outputs.ToJsonString()}");
    }
}
