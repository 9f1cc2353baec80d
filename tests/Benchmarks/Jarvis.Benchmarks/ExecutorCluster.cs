using Jarvis.Tests.Shared;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Jarvis.Benchmarks;

/// <summary>N executors in cluster mode on loopback, started together: each has a free HTTP port and a free remoting
/// port, the first is the only seed (a cluster of one joins itself with JARVIS_CLUSTER_SELF_JOIN=true instead).
/// Start-up returns once every instance's <c>/v1/health</c> check <c>cluster</c> reports N members up and none
/// unreachable. Every instance is stopped on dispose, and when start-up fails midway.</summary>
public sealed class ExecutorCluster : IDisposable
{
    private static readonly TimeSpan FormationTimeout = TimeSpan.FromSeconds(90);

    private ExecutorCluster(IReadOnlyList<ServerProcess> nodes, TimeSpan formedAfter)
    {
        Nodes = nodes;
        FormedAfter = formedAfter;
    }

    public IReadOnlyList<ServerProcess> Nodes { get; }
    /// <summary>From the first process start to every instance reporting all members up.</summary>
    public TimeSpan FormedAfter { get; }

    /// <param name="tls">Mutual TLS on remoting: every node gets a certificate of its own from this authority.</param>
    public static async Task<ExecutorCluster> StartAsync(BenchOptions options, string workDirectory, string name, int size,
        IReadOnlyDictionary<string, string> settings, CancellationToken cancellation, TestCertificates? tls = null)
    {
        var clock = Stopwatch.StartNew();
        var remotingPorts = NginxSetup.FreeLoopbackPorts(size);
        var starts = Enumerable.Range(0, size).Select(i =>
        {
            var environment = new Dictionary<string, string>(settings)
            {
                ["JARVIS_CLUSTER_ENABLED"] = "true",
                ["JARVIS_CLUSTER_HOSTNAME"] = "127.0.0.1",
                ["JARVIS_CLUSTER_PORT"] = remotingPorts[i].ToString(CultureInfo.InvariantCulture),
            };
            foreach (var (key, value) in tls?.NodeEnvironment($"{name}-node{i}") ?? []) environment[key] = value;
            if (size == 1) environment["JARVIS_CLUSTER_SELF_JOIN"] = "true";
            else environment["JARVIS_CLUSTER_SEEDS"] = $"{(tls is null ? "akka.tcp" : "akka.ssl.tcp")}://jarvis@127.0.0.1:{remotingPorts[0]}";
            return ServerProcess.StartExecutorAsync(options, workDirectory, $"{name}-node{i}", environment, cancellation);
        }).ToList();
        try
        {
            await Task.WhenAll(starts);
            var nodes = starts.Select(s => s.Result).ToList();
            await WaitForMembersAsync(nodes, size, cancellation);
            return new ExecutorCluster(nodes, clock.Elapsed);
        }
        catch
        {
            foreach (var start in starts)
                if (start.IsCompletedSuccessfully) start.Result.Dispose();
            throw;
        }
    }

    private static async Task WaitForMembersAsync(IReadOnlyList<ServerProcess> nodes, int size, CancellationToken cancellation)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        var last = "(no answer yet)";
        while (clock.Elapsed < FormationTimeout)
        {
            cancellation.ThrowIfCancellationRequested();
            foreach (var node in nodes)
                if (node.HasExited) throw new InvalidOperationException($"{node.Name} exited while the cluster formed:\n{node.LogTail()}");
            try
            {
                var views = await Task.WhenAll(nodes.Select(n => ClusterCheckAsync(client, n.BaseAddress, cancellation)));
                last = string.Join("; ", nodes.Zip(views, (n, v) => $"{n.Name}: {v.Status}, {v.MembersUp} up, {v.Unreachable} unreachable"));
                if (views.All(v => v.Status == "ok" && v.MembersUp == size && v.Unreachable == 0)) return;
            }
            catch (HttpRequestException e) { last = e.Message; }
            catch (TaskCanceledException e) when (!cancellation.IsCancellationRequested) { last = e.Message; }
            await Task.Delay(100, cancellation);
        }
        throw new TimeoutException($"the cluster did not reach {size} members up within {FormationTimeout.TotalSeconds:0} s; last: {last}\n" +
            string.Join("\n", nodes.Select(n => $"{n.Name}:\n{n.LogTail(10)}")));
    }

    /// <summary>The <c>cluster</c> check of <c>/v1/health</c>: its status and <c>details.members_up</c>, <c>details.unreachable</c>.</summary>
    private static async Task<(string Status, int MembersUp, int Unreachable)> ClusterCheckAsync(HttpClient client, Uri node, CancellationToken cancellation)
    {
        using var health = JsonDocument.Parse(await client.GetStringAsync(new Uri(node, "/v1/health"), cancellation));
        foreach (var check in health.RootElement.GetProperty("checks").EnumerateArray())
        {
            if (check.GetProperty("name").GetString() != "cluster") continue;
            var details = check.GetProperty("details");
            return (check.GetProperty("status").GetString() ?? "?", details.GetProperty("members_up").GetInt32(), details.GetProperty("unreachable").GetInt32());
        }
        throw new InvalidOperationException($"{node}: /v1/health has no check named cluster (is cluster mode on?)");
    }

    public void Dispose()
    {
        foreach (var node in Nodes) node.Dispose();
    }
}
