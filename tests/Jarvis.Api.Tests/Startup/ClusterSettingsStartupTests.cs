using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Startup;

/// <summary>Cluster mode's settings are checked before anything starts: a bad JARVIS_CLUSTER_* value is one
/// stderr line naming the setting, and exit code 2 (like every other setting).</summary>
public sealed class ClusterSettingsStartupTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string, string, string> BadClusterSettings => new()
    {
        // key, value (on top of JARVIS_CLUSTER_ENABLED=true and a valid seed), what the message must name
        { "JARVIS_CLUSTER_ENABLED", "maybe", "JARVIS_CLUSTER_ENABLED" },
        { "JARVIS_CLUSTER_SEEDS", "not-a-seed", "JARVIS_CLUSTER_SEEDS" },
        { "JARVIS_CLUSTER_SEEDS", "akka.tcp://other-system@127.0.0.1:4053", "akka.tcp://jarvis@HOST:PORT" },
        { "JARVIS_CLUSTER_SEEDS", "akka.tcp://jarvis@127.0.0.1", "JARVIS_CLUSTER_SEEDS" },
        { "JARVIS_CLUSTER_SEEDS", "akka.tcp://jarvis@127.0.0.1:70000", "JARVIS_CLUSTER_SEEDS" },
        { "JARVIS_CLUSTER_SEEDS", "http://jarvis@127.0.0.1:4053", "JARVIS_CLUSTER_SEEDS" },
        { "JARVIS_CLUSTER_SEEDS", "akka.tcp://jarvis@127.0.0.1:4053,akka.tcp://jarvis@:4054", "JARVIS_CLUSTER_SEEDS" },
        { "JARVIS_CLUSTER_SEEDS", " , ", "JARVIS_CLUSTER_SELF_JOIN" }, // no seed at all and no self-join
        { "JARVIS_CLUSTER_PORT", "70000", "JARVIS_CLUSTER_PORT" },
        { "JARVIS_CLUSTER_PORT", "-1", "JARVIS_CLUSTER_PORT" },
        { "JARVIS_CLUSTER_PORT", "four", "JARVIS_CLUSTER_PORT" },
        { "JARVIS_CLUSTER_HOSTNAME", "not a host!", "JARVIS_CLUSTER_HOSTNAME" },
        { "JARVIS_CLUSTER_HOSTNAME", "0.0.0.0", "JARVIS_CLUSTER_PUBLIC_HOSTNAME" },
        { "JARVIS_CLUSTER_PUBLIC_HOSTNAME", "bad/name", "JARVIS_CLUSTER_PUBLIC_HOSTNAME" },
        { "JARVIS_CLUSTER_ROLE", "two words", "JARVIS_CLUSTER_ROLE" },
        { "JARVIS_CLUSTER_SELF_JOIN", "true", "JARVIS_CLUSTER_SELF_JOIN" }, // together with seeds: ambiguous
        { "JARVIS_CLUSTER_ROUTE_TIMEOUT_SECS", "0", "JARVIS_CLUSTER_ROUTE_TIMEOUT_SECS" },
    };

    [Theory]
    [MemberData(nameof(BadClusterSettings))]
    public async Task Bad_cluster_setting_stops_startup_with_exit_2_and_one_line_naming_it(string key, string value, string named)
    {
        var env = new Dictionary<string, string>
        {
            ["ARP_AUTH_PROFILE"] = "dev-insecure",
            ["JARVIS_CLUSTER_ENABLED"] = "true",
            ["JARVIS_CLUSTER_PORT"] = "0",
            ["JARVIS_CLUSTER_SEEDS"] = "akka.tcp://jarvis@127.0.0.1:4053",
            [key] = value,
        };
        await using var process = ExecutorProcess.Start(env);

        Assert.Equal(2, await process.WaitForExitAsync(ExitTimeout));
        Assert.Contains(named, StartupFailureTests.AssertSingleStderrLine(process));
    }

    [Fact]
    public async Task Cluster_port_already_in_use_stops_startup_with_exit_2_and_one_line_naming_it()
    {
        using var occupant = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((System.Net.IPEndPoint)occupant.LocalEndpoint).Port.ToString();
        await using var process = ExecutorProcess.Start(new Dictionary<string, string>
        {
            ["ARP_AUTH_PROFILE"] = "dev-insecure",
            ["JARVIS_CLUSTER_ENABLED"] = "true",
            ["JARVIS_CLUSTER_PORT"] = port,
            ["JARVIS_CLUSTER_SELF_JOIN"] = "true",
        });

        Assert.Equal(2, await process.WaitForExitAsync(ExitTimeout));
        Assert.Contains(port, StartupFailureTests.AssertSingleStderrLine(process));
    }
}
