using Jarvis.Api.Cli;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Cli;

/// <summary><c>jarvis-atomic-executor health</c>, the container image's health check.</summary>
public sealed class HealthCommandTests
{
    [Fact]
    public async Task It_exits_0_for_a_healthy_executor_on_the_configured_port()
    {
        await using var server = await ExecutorServer.StartAsync();
        var output = new StringWriter();

        var exit = await HealthCommand.RunAsync(["--port", server.BaseAddress.Port.ToString(), "--host", "0.0.0.0"], output);

        Assert.Equal(0, exit);
        Assert.StartsWith($"healthy: http://127.0.0.1:{server.BaseAddress.Port}/v1/health answered 200 ok", output.ToString());
    }

    [Fact]
    public async Task It_reads_only_where_the_executor_listens_not_the_rest_of_its_settings()
    {
        // Settings the service itself would refuse to start with (a certificate file that is not there): a probe
        // every few seconds must neither load them nor fail on them.
        await using var server = await ExecutorServer.StartAsync();
        var output = new StringWriter();

        var exit = await HealthCommand.RunAsync(["--port", server.BaseAddress.Port.ToString(), "--JARVIS_CLUSTER_ENABLED", "true",
            "--JARVIS_CLUSTER_SELF_JOIN", "true", "--JARVIS_CLUSTER_TLS_CERT", "/nonexistent/node.p12", "--JARVIS_CLUSTER_TLS_CA", "/nonexistent/ca.crt"], output);

        Assert.Equal(0, exit);
        Assert.StartsWith("healthy:", output.ToString());
    }

    [Fact]
    public async Task It_exits_1_with_the_reason_when_nothing_answers()
    {
        var output = new StringWriter();

        var exit = await HealthCommand.RunAsync(["--port", ExecutorProcess.FreePort().ToString()], output);

        Assert.Equal(1, exit);
        Assert.StartsWith("unhealthy: http://127.0.0.1:", output.ToString());
    }

    [Fact]
    public async Task It_exits_1_when_the_health_route_needs_a_token()
    {
        var key = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Required(idp, extra: ("ARP_AUTH_EXEMPT_PATHS", "/v1/version")));
        var output = new StringWriter();

        var exit = await HealthCommand.RunAsync(["--port", server.BaseAddress.Port.ToString()], output);

        Assert.Equal(1, exit);
        Assert.Contains("answered 401", output.ToString());
    }
}
