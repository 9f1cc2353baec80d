using System.Net;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;
using Jarvis.Tests.Shared;

namespace Jarvis.Cluster.Tests.Processes;

/// <summary>One cluster of three for the tests of <see cref="ClusterWideRunTests"/>.</summary>
public sealed class ThreeInstanceCluster : IAsyncLifetime
{
    public ExecutorCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await ExecutorCluster.StartAsync();

    public async Task DisposeAsync()
    {
        if (Cluster is not null) await Cluster.DisposeAsync();
    }
}

/// <summary>One cluster of three with mutual TLS on remoting (a certificate per instance from one test authority), for
/// <see cref="ClusterWideRunOverTlsTests"/>.</summary>
public sealed class ThreeInstanceTlsCluster : IAsyncLifetime
{
    private readonly TestCertificates _certificates = new();

    public ExecutorCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await ExecutorCluster.StartAsync(tls: _certificates);

    public async Task DisposeAsync()
    {
        if (Cluster is not null) await Cluster.DisposeAsync();
        _certificates.Dispose();
    }
}

/// <summary>The cross-node scenario over plain remoting.</summary>
public sealed class ClusterWideRunTests(ThreeInstanceCluster fixture, ITestOutputHelper output)
    : ClusterWideRunScenario(output), IClassFixture<ThreeInstanceCluster>
{
    protected override ExecutorCluster Cluster => fixture.Cluster;
    protected override bool MutualTls => false;
}

/// <summary>The same scenario with mutual TLS between the instances: the addresses are <c>akka.ssl.tcp</c> and every
/// cross-node message goes through the encrypted, authenticated connections.</summary>
public sealed class ClusterWideRunOverTlsTests(ThreeInstanceTlsCluster fixture, ITestOutputHelper output)
    : ClusterWideRunScenario(output), IClassFixture<ThreeInstanceTlsCluster>
{
    protected override ExecutorCluster Cluster => fixture.Cluster;

    protected override bool MutualTls => true;
}

/// <summary>Execute, cancel, join, replay and conflict across instances: one node_run_id is one run cluster-wide,
/// whichever instance each request goes through.</summary>
public abstract class ClusterWideRunScenario(ITestOutputHelper output)
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(20);
    protected abstract ExecutorCluster Cluster { get; }
    protected abstract bool MutualTls { get; }

    [Fact]
    public async Task Every_instance_says_how_its_remoting_is_protected_in_health_and_at_start()
    {
        foreach (var instance in Cluster.Instances)
        {
            var view = await instance.ClusterViewAsync();
            Assert.StartsWith(MutualTls ? "akka.ssl.tcp://" : "akka.tcp://", view.Self);
            Assert.Equal(MutualTls ? "mutual_tls" : "plain_tcp", view.Remoting);
            Assert.Contains(MutualTls
                    ? $"Cluster remoting on 127.0.0.1:{instance.ClusterPort} is encrypted and authenticated with mutual TLS: certificate CN=node-{instance.Index} "
                    : $"Cluster remoting on 127.0.0.1:{instance.ClusterPort} is plain TCP: unencrypted, and anyone who can reach the port can join",
                instance.Process.StandardOutput);
            var expiry = (await instance.MetricsAsync()).Value("jarvis_cluster_tls_certificate_expiry_timestamp_seconds");
            if (!MutualTls) Assert.Null(expiry);
            else
            {
                // TestCertificates issues node certificates for a year
                var inAYear = DateTimeOffset.UtcNow.AddYears(1).ToUnixTimeSeconds();
                Assert.InRange(expiry!.Value, inAYear - 86_400, inAYear + 60);
            }
        }
    }
    private ClusterInstance A => Cluster[0];
    private ClusterInstance B => Cluster[1];
    private ClusterInstance C => Cluster[2];

    private async Task<double> StartedAsync(string nodeTypeId) =>
        (await ExecutorCluster.StartedCountsAsync(Cluster.Instances, nodeTypeId)).Sum();

    [Fact]
    public async Task Cancel_through_another_instance_cancels_the_run_and_a_duplicate_through_a_third_gets_the_same_result()
    {
        var id = ExecuteRequests.NewId("cancel");
        var request = ExecuteRequests.Sleep(60, id);
        var startedBefore = await StartedAsync("jarvis.core.sleep");
        var run = await Cluster.StartAndLocateAsync(A, request, "jarvis.core.sleep");
        output.WriteLine($"{id}: sent through {A.Name}, runs on {run.Owner.Name}");

        var duplicate = C.Client.ExecuteAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, (await B.Client.CancelAsync(id)).StatusCode);

        var first = await HttpAssert.ResultAsync(await run.Execute.Within(Bounded, "the canceled execute"), "canceled");
        Assert.Equal("canceled", first["error"]!["code"]!.GetValue<string>());
        var second = await HttpAssert.ResultAsync(await duplicate.Within(Bounded, "the duplicate execute"), "canceled");
        AssertSameResult(first, second);
        Assert.Equal(startedBefore + 1, await StartedAsync("jarvis.core.sleep"));

        // and later, through any instance, the same canceled result again
        foreach (var instance in Cluster.Instances)
            AssertSameResult(first, await HttpAssert.ResultAsync(await instance.Client.ExecuteAsync(request), "canceled"));
        Assert.Equal(startedBefore + 1, await StartedAsync("jarvis.core.sleep"));
    }

    [Fact]
    public async Task Duplicates_through_other_instances_join_the_running_run()
    {
        var id = ExecuteRequests.NewId("join");
        var request = ExecuteRequests.Sleep(3, id);
        var startedBefore = await StartedAsync("jarvis.core.sleep");
        var run = await Cluster.StartAndLocateAsync(A, request, "jarvis.core.sleep");
        var duplicates = new[] { B, C, A }.Select(i => i.Client.ExecuteAsync(request)).ToList();
        Assert.False(run.Execute.IsCompleted, "the run ended before its duplicates were sent");

        var first = await HttpAssert.ResultAsync(await run.Execute.Within(Bounded, "the execute"), "succeeded");
        foreach (var duplicate in duplicates)
            AssertSameResult(first, await HttpAssert.ResultAsync(await duplicate.Within(Bounded, "a duplicate"), "succeeded"));
        Assert.Equal(startedBefore + 1, await StartedAsync("jarvis.core.sleep"));
    }

    [Fact]
    public async Task A_finished_run_is_replayed_through_every_instance_without_running_again()
    {
        // uuid4: a run that ran again would answer another uuid
        var id = ExecuteRequests.NewId("replay");
        var request = ExecuteRequests.For("jarvis.core.uuid4", new JsonObject(), id);
        var startedBefore = await StartedAsync("jarvis.core.uuid4");
        var first = await HttpAssert.ResultAsync(await A.Client.ExecuteAsync(request), "succeeded");

        foreach (var instance in new[] { B, C, A, C, B })
            AssertSameResult(first, await HttpAssert.ResultAsync(await instance.Client.ExecuteAsync(request), "succeeded"));
        Assert.Equal(startedBefore + 1, await StartedAsync("jarvis.core.uuid4"));
    }

    [Fact]
    public async Task The_same_id_with_other_inputs_through_another_instance_is_a_conflict()
    {
        var finishedId = ExecuteRequests.NewId("conflict");
        await HttpAssert.ResultAsync(await A.Client.ExecuteAsync(ExecuteRequests.Echo("one", finishedId)), "succeeded");
        foreach (var instance in new[] { B, C })
            await HttpAssert.ErrorAsync(await instance.Client.ExecuteAsync(ExecuteRequests.Echo("two", finishedId)),
                HttpStatusCode.Conflict, "node_run_conflict");

        // and while the first run is still in flight
        var runningId = ExecuteRequests.NewId("conflict");
        var run = await Cluster.StartAndLocateAsync(B, ExecuteRequests.Sleep(60, runningId), "jarvis.core.sleep");
        foreach (var instance in new[] { C, A, B })
            await HttpAssert.ErrorAsync(await instance.Client.ExecuteAsync(ExecuteRequests.Sleep(59, runningId)),
                HttpStatusCode.Conflict, "node_run_conflict");
        Assert.Equal(HttpStatusCode.NoContent, (await C.Client.CancelAsync(runningId)).StatusCode);
        await HttpAssert.ResultAsync(await run.Execute.Within(Bounded, "the canceled execute"), "canceled");
    }

    [Fact]
    public async Task A_cancel_before_the_execute_through_another_instance_is_remembered()
    {
        var id = ExecuteRequests.NewId("early");
        Assert.Equal(HttpStatusCode.NoContent, (await B.Client.CancelAsync(id)).StatusCode);
        var startedBefore = await StartedAsync("jarvis.core.sleep");

        var first = await HttpAssert.ResultAsync(
            await C.Client.ExecuteAsync(ExecuteRequests.Sleep(60, id)).Within(Bounded, "the execute after its cancel"), "canceled");
        Assert.Equal("canceled", first["error"]!["code"]!.GetValue<string>());
        // that canceled result is the run's result from then on, through any instance
        var again = await HttpAssert.ResultAsync(
            await A.Client.ExecuteAsync(ExecuteRequests.Sleep(60, id)).Within(Bounded, "the execute again"), "canceled");
        AssertSameResult(first, again);
        Assert.Equal(startedBefore, await StartedAsync("jarvis.core.sleep"));
    }

    /// <summary>Joined and replayed answers are the run's one result: same state, times, outputs and error.</summary>
    [Fact]
    public async Task Junk_a_half_open_tls_handshake_and_plain_http_on_a_remoting_port_neither_crash_the_node_nor_stall_the_cluster()
    {
        var target = A;
        var port = target.ClusterPort;
        // Held open while the cluster is used: a TLS record header announcing 512 bytes of ClientHello, then silence.
        using var halfOpen = await RemotingPortVisitor.ConnectAsync(port);
        await halfOpen.SendAsync([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03]);
        using (var junk = await RemotingPortVisitor.ConnectAsync(port))
            await junk.SendAsync(RemotingPortVisitor.Junk(64 * 1024));
        using (var http = await RemotingPortVisitor.ConnectAsync(port))
        {
            await http.SendAsync("GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"u8.ToArray());
            output.WriteLine($"a plain HTTP request to the remoting port got {await http.ReadUntilClosedAsync(TimeSpan.FromSeconds(10))} bytes back before the close");
        }

        // Cluster traffic goes on: new runs through every instance, most of them owned by another one.
        for (var k = 0; k < 60; k++)
        {
            var text = $"after-visitors-{k}";
            var response = await Cluster.Instances[k % 3].Client.ExecuteAsync(ExecuteRequests.Echo(text)).Within(Bounded, "an execute after the visitors");
            Assert.Equal(text, (await HttpAssert.ResultAsync(response, "succeeded"))["outputs"]!["echo"]!.GetValue<string>());
        }
        await Cluster.WaitForMembersAsync(Cluster.Instances, membersUp: 3, TimeSpan.FromSeconds(10));
        Assert.False(target.HasExited, $"{target.Name} exited: {target.OutputTail(30)}");
    }

    internal static void AssertSameResult(JsonNode expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"different results for one run:\n  {expected.ToJsonString()}\n  {actual.ToJsonString()}");
}
