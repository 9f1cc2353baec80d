using System.Net;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task Echo_over_real_loopback_socket_succeeds_with_its_input()
    {
        await using var server = await ExecutorServer.StartAsync();
        var response = await server.PostJsonAsync("/v1/atomic-node-runs:execute",
            """{"node_run_id":"n1","run_id":"r1","node_type_ref":{"node_type_id":"jarvis.core.echo","version":"0.3.8"},"inputs":{"echo":"hi"}}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("succeeded", body["state"]!.GetValue<string>());
        Assert.Equal("hi", body["outputs"]!["echo"]!.GetValue<string>());
        Assert.True(server.BaseAddress.IsLoopback);
    }

    [Fact]
    public async Task Executable_starts_with_auth_disabled_and_refuses_to_start_with_unusable_default_auth()
    {
        await using (var open = ExecutorProcess.Start(new Dictionary<string, string> { ["ARP_AUTH_PROFILE"] = "dev-insecure" }))
            await open.WaitUntilServingAsync(TimeSpan.FromSeconds(60));

        await using var closed = ExecutorProcess.Start(new Dictionary<string, string>());
        Assert.NotEqual(0, await closed.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("ARP_AUTH_AUDIENCE", closed.StandardError); // fail closed: JWTs required by default
        Assert.Contains("ARP_AUTH_PROFILE=dev-insecure", closed.StandardError); // and it says how to run without
    }
}
