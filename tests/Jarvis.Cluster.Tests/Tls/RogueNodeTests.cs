using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Configuration;
using Jarvis.Api.Tests.Infrastructure;
using Jarvis.Cluster.Tests.Processes;
using Jarvis.Tests.Shared;

namespace Jarvis.Cluster.Tests.Tls;

/// <summary>With mutual TLS on, a process that can reach a member's remoting port but holds no certificate from the
/// cluster's authority cannot join: not with a certificate from another authority, not without TLS, not with TLS but
/// no client certificate. The members stay three, keep serving, and log each refused connection once.</summary>
public sealed partial class RogueNodeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Attempts = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Nodes_without_a_certificate_from_the_cluster_authority_cannot_join_and_the_members_keep_serving()
    {
        using var certificates = new TestCertificates();
        using var otherAuthority = new TestCertificates("jarvis test cluster CA"); // the same name, another key
        await using var cluster = await ExecutorCluster.StartAsync(output, tls: certificates);
        var seed = cluster[0];
        var seedPort = seed.ClusterPort;

        await using var otherCa = ExecutorProcess.Start(RogueEnvironment($"akka.ssl.tcp://jarvis@127.0.0.1:{seedPort}",
            otherAuthority.NodeEnvironment("rogue-other-ca")));
        await using var plain = ExecutorProcess.Start(RogueEnvironment($"akka.tcp://jarvis@127.0.0.1:{seedPort}", new Dictionary<string, string>()));
        var noClientCertificate = ActorSystem.Create("jarvis", NoClientCertificateNode(otherAuthority.IssueNode("rogue-no-client-cert"), seedPort));
        try
        {
            // While they try: a burst of executes through every member, each crossing nodes as its shard decides.
            var clock = Stopwatch.StartNew();
            var served = 0;
            while (clock.Elapsed < Attempts)
            {
                var instance = cluster[served % 3];
                var text = $"during-rogues-{served++}";
                var result = await HttpAssert.ResultAsync(await instance.Client.ExecuteAsync(ExecuteRequests.Echo(text)), "succeeded");
                Assert.Equal(text, result["outputs"]!["echo"]!.GetValue<string>());
            }
            output.WriteLine($"{served} executes through the members during {Attempts.TotalSeconds:0} s of join attempts: all succeeded");

            await cluster.WaitForMembersAsync(cluster.Instances, membersUp: 3, TimeSpan.FromSeconds(10));
            foreach (var instance in cluster.Instances)
                Assert.Equal(3, (await instance.MetricsAsync()).Value("jarvis_cluster_members{status=\"up\"}"));
            Assert.Empty(Akka.Cluster.Cluster.Get(noClientCertificate).State.Members);
            Assert.False(plain.Process.HasExited, "the plain node was expected to keep trying");
            Assert.DoesNotContain("Welcome from", plain.StandardOutput);
            Assert.DoesNotContain("Welcome from", otherCa.StandardOutput);
            // A node whose own dial is refused (its authority does not know the seed's certificate either) stops at once:
            // Akka.Remote shuts its actor system down on a failed outbound handshake, and the executor exits with 3.
            Assert.Equal(3, await otherCa.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("TlsHandshakeFailureReason", otherCa.StandardOutput);
            WriteWhatTheRogueSaw("the node with another authority's certificate", otherCa.StandardOutput, "TLS");
            WriteWhatTheRogueSaw("the plain node", plain.StandardOutput, "associate");

            var log = seed.Process.StandardOutput;
            Assert.Contains("Cluster TLS: refused the peer at", log);
            Assert.Contains("subject CN=rogue-other-ca", log);
            Assert.Contains("not an SSL/TLS record", log);
            Assert.Contains("Mutual TLS required but client did not provide a certificate", log);
            AssertEachRefusalLoggedOnceAndNotInALoop(log, clock.Elapsed, rogues: 3);
        }
        finally
        {
            await noClientCertificate.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private void WriteWhatTheRogueSaw(string who, string log, string marker)
    {
        output.WriteLine($"{who} logged:");
        foreach (var line in log.Split('\n').Where(l => l.Contains(marker, StringComparison.Ordinal)).Take(6))
            output.WriteLine("  " + (line.Length > 400 ? line[..400] + "…" : line));
    }

    /// <summary>One "Rejected incoming connection" line per refused connection (each names its own client port), and
    /// no more connections than three rogues retrying about once a second at most could make.</summary>
    private void AssertEachRefusalLoggedOnceAndNotInALoop(string log, TimeSpan window, int rogues)
    {
        var refused = RejectedConnection().Matches(log).Select(m => m.Groups["peer"].Value).ToList();
        output.WriteLine($"{refused.Count} refused connections logged on the seed in {window.TotalSeconds:0} s; its TLS lines:");
        foreach (var line in log.Split('\n').Where(l => l.Contains("TLS", StringComparison.Ordinal)).Take(60))
            output.WriteLine("  " + (line.Length > 400 ? line[..400] + "…" : line));
        Assert.NotEmpty(refused);
        Assert.Equal(refused.Count, refused.Distinct().Count());
        var bound = rogues * ((int)window.TotalSeconds + 10);
        Assert.True(refused.Count <= bound, $"{refused.Count} refused connections in {window.TotalSeconds:0} s (bound {bound}): a retry loop");
    }

    private static Dictionary<string, string> RogueEnvironment(string seeds, IReadOnlyDictionary<string, string> tls)
    {
        var env = new Dictionary<string, string>
        {
            ["ARP_AUTH_PROFILE"] = "dev-insecure",
            ["JARVIS_CLUSTER_ENABLED"] = "true",
            ["JARVIS_CLUSTER_HOSTNAME"] = "127.0.0.1",
            ["JARVIS_CLUSTER_PORT"] = ExecutorProcess.FreePort().ToString(CultureInfo.InvariantCulture),
            ["JARVIS_CLUSTER_SEEDS"] = seeds,
        };
        foreach (var (key, value) in tls) env[key] = value;
        return env;
    }

    /// <summary>An Akka.NET node with TLS that accepts any server certificate and presents none of its own as a client
    /// (mutual authentication off): what a tool speaking Akka's protocol over TLS, without a member's key, looks like.</summary>
    private static Config NoClientCertificateNode(string certificate, int seedPort) => ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = WARNING
          actor.provider = cluster
          remote.dot-netty.tcp {
            hostname = 127.0.0.1
            port = 0
            enable-ssl = true
            ssl {
              certificate { path = "{{certificate}}", password = "{{TestCertificates.Password}}" }
              suppress-validation = true
              require-mutual-authentication = false
            }
          }
          cluster.seed-nodes = ["akka.ssl.tcp://jarvis@127.0.0.1:{{seedPort}}"]
        }
        """);

    [GeneratedRegex(@"Rejected incoming connection from \[(?<peer>[^\s]+)\] due to TLS handshake failure")]
    private static partial Regex RejectedConnection();
}
