using System.Diagnostics;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;
using Jarvis.Cluster.Tests.Processes;

namespace Jarvis.Cluster.Tests.Partition;

/// <summary>The <c>cluster</c> check of one executor's /v1/health, read through its own nginx socket.</summary>
internal static class ClusterHealth
{
    /// <summary>The view of the executor behind <paramref name="client"/> (a 200 Health valid against the spec).</summary>
    public static async Task<ClusterView> ReadAsync(HttpClient client, string who)
    {
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var health = await HealthReader.GetAsync(client).WaitAsync(bounded.Token);
        var check = health.CheckNode("cluster");
        var details = check["details"] ?? throw new InvalidOperationException($"{who}: the cluster check has no details: {health}");
        return new ClusterView(
            check["status"]!.GetValue<string>(),
            details["self"]?.GetValue<string>() ?? "(none)",
            details["members_up"]?.GetValue<int>() ?? -1,
            details["unreachable"]?.GetValue<int>() ?? -1,
            details["remoting"]?.GetValue<string>() ?? "(none)",
            health.ToString());
    }

    /// <summary>Waits until each of <paramref name="executors"/> reports itself and exactly
    /// <paramref name="membersUp"/> members up, none unreachable; fails with the last views and what the processes
    /// printed when that does not happen in time, or when one of them exits meanwhile.</summary>
    public static async Task WaitForMembersAsync(IReadOnlyList<(NamespacedExecutor Executor, HttpClient Client)> executors,
        int membersUp, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var last = "(no answer yet)";
        while (true)
        {
            if (executors.FirstOrDefault(e => e.Executor.HasExited) is { Executor: { } gone })
                throw new InvalidOperationException($"{gone} {gone.ExitSummary} while waiting for {membersUp} members up:\n{gone.OutputTail(40)}");
            try
            {
                var views = await Task.WhenAll(executors.Select(e => ReadAsync(e.Client, e.Executor.Name)));
                last = string.Join("; ", executors.Zip(views, (e, v) => $"{e.Executor.Name}: {v}"));
                var settled = executors.Zip(views).All(pair =>
                    pair.Second.Self == pair.First.Executor.Site.AkkaAddress && pair.Second is { Status: "ok", Unreachable: 0 } &&
                    pair.Second.MembersUp == membersUp);
                if (settled) return;
            }
            catch (Exception e) when (e is not (OutOfMemoryException or SpecNotFoundException))
            {
                last = $"health not answered: {e.Message.Split('\n')[0]}"; // 502 from nginx until the executor listens
            }
            if (clock.Elapsed > timeout)
                throw new TimeoutException(
                    $"not {membersUp} members up and 0 unreachable within {timeout.TotalSeconds:0} s; last views: {last}\n" +
                    string.Join("\n", executors.Select(e => e.Executor.OutputTail(25))));
            await Task.Delay(200);
        }
    }
}
