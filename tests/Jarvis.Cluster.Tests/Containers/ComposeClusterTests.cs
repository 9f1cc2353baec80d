using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Jarvis.Cluster.Tests.Containers;

/// <summary>The README's container recipe for real: the executor image built from the unchanged Dockerfile, and
/// deploy/compose.yaml's three executors in one cluster behind nginx, driven only through the balancer on a loopback
/// port the test picks (and the containers' own addresses, to find a run's owner). Everything it started is removed
/// at the end, also when it fails.</summary>
public sealed class ComposeClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan BuildAndStart = TimeSpan.FromMinutes(20);

    [DockerFact]
    public async Task The_compose_cluster_serves_across_containers_drains_a_stopped_node_and_answers_for_a_killed_one()
    {
        if (Docker.Unusable is { } reason) throw new InvalidOperationException($"containers cannot run here: {reason}");
        var project = "jarvistest" + Guid.NewGuid().ToString("N")[..8];
        var port = FreePort();
        var environment = new Dictionary<string, string>
        {
            ["JARVIS_COMPOSE_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["JARVIS_IMAGE_TAG"] = project,
        };
        string[] compose = ["-p", project, "-f", Path.Combine(RepositoryRoot(), "deploy", "compose.yaml")];
        try
        {
            var clock = Stopwatch.StartNew();
            await Docker.ComposeAsync(environment, BuildAndStart, [.. compose, "up", "-d", "--build"]);
            output.WriteLine($"image built and containers started in {clock.Elapsed.TotalSeconds:0} s");
            using var balancer = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(90) };
            await WaitForMembersAsync(balancer, 3, TimeSpan.FromMinutes(3));
            output.WriteLine($"members_up 3 through nginx after {clock.Elapsed.TotalSeconds:0} s");
            // The recipe's members speak mutual TLS with the certificates its cluster-certs container made.
            Assert.Contains("\"remoting\":\"mutual_tls\"", await balancer.GetStringAsync("/v1/health"));

            await ExecuteDuplicateConflictAndCancelAcrossContainersAsync(balancer);
            await StoppedNodeDrainsWithRealResultsAsync(balancer, Container(project, "executor-3"));
            await KilledOwnerIsAnsweredUnavailableAsync(balancer, [Container(project, "executor-1"), Container(project, "executor-2")]);
        }
        finally
        {
            try { await Docker.ComposeAsync(environment, TimeSpan.FromMinutes(3), [.. compose, "down", "--volumes", "--remove-orphans", "--timeout", "5"]); }
            catch (Exception e) { output.WriteLine($"compose down: {e.Message}"); }
            try { await Docker.RunAsync(TimeSpan.FromMinutes(2), "rmi", "-f", $"jarvis-atomic-executor:{project}"); }
            catch (Exception e) { output.WriteLine($"rmi: {e.Message}"); }
        }
    }

    private async Task ExecuteDuplicateConflictAndCancelAcrossContainersAsync(HttpClient balancer)
    {
        var id = NewId("echo");
        var first = await ResultAsync(await ExecuteAsync(balancer, Echo(id, "hi")));
        Assert.Equal("succeeded", first["state"]!.GetValue<string>());
        for (var i = 0; i < 5; i++) // round robin: the replays arrive at every container
        {
            var replay = await ResultAsync(await ExecuteAsync(balancer, Echo(id, "hi")));
            Assert.Equal(first["started_at"]!.GetValue<string>(), replay["started_at"]!.GetValue<string>());
        }
        using (var conflict = await ExecuteAsync(balancer, Echo(id, "other")))
            Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

        var sleeper = NewId("cancel");
        var running = ExecuteAsync(balancer, Sleep(sleeper, 30));
        await Task.Delay(TimeSpan.FromSeconds(1));
        using (var cancel = await balancer.PostAsync($"/v1/atomic-node-runs/{sleeper}:cancel", null))
            Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        var canceled = await ResultAsync(await running.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal("canceled", canceled["state"]!.GetValue<string>());
        output.WriteLine("execute, replays on every container, 409 and a cross-container cancel: as on one node");
    }

    private async Task StoppedNodeDrainsWithRealResultsAsync(HttpClient balancer, string stopped)
    {
        var address = await AddressOfAsync(stopped);
        var runs = Enumerable.Range(0, 6).Select(_ => ExecuteAsync(balancer, Sleep(NewId("drain"), 4))).ToList();
        await WaitUntilAsync(async () => await InFlightAsync(address) > 0, TimeSpan.FromSeconds(10), $"{stopped} never ran any of the runs");
        await Docker.RunAsync(TimeSpan.FromMinutes(2), "stop", "--time", "40", stopped);
        foreach (var run in runs)
        {
            var result = await ResultAsync(await run.WaitAsync(TimeSpan.FromSeconds(60)));
            Assert.Equal("succeeded", result["state"]!.GetValue<string>());
        }
        Assert.Equal("0", (await Docker.RunAsync(TimeSpan.FromSeconds(20), "inspect", "--format", "{{.State.ExitCode}}", stopped)).Trim());
        output.WriteLine($"docker stop {stopped}: all 6 runs in flight succeeded, exit code 0");
    }

    private async Task KilledOwnerIsAnsweredUnavailableAsync(HttpClient balancer, string[] candidates)
    {
        var addresses = new Dictionary<string, string>();
        foreach (var container in candidates) addresses[container] = await AddressOfAsync(container);
        await WaitForMembersAsync(balancer, candidates.Length, TimeSpan.FromMinutes(1));
        var run = ExecuteAsync(balancer, Sleep(NewId("kill"), 20));
        string? owner = null;
        await WaitUntilAsync(async () =>
        {
            foreach (var (container, address) in addresses)
                if (await InFlightAsync(address) > 0) owner = container;
            return owner is not null;
        }, TimeSpan.FromSeconds(10), "no container ran the 20 s sleep");
        await Docker.RunAsync(TimeSpan.FromSeconds(30), "kill", owner!);
        var killed = Stopwatch.StartNew();
        using var answer = await run.WaitAsync(TimeSpan.FromSeconds(30));
        var waited = killed.Elapsed;
        var text = await answer.Content.ReadAsStringAsync();
        output.WriteLine($"after docker kill {owner}: {(int)answer.StatusCode} {text} after {waited.TotalSeconds:0.0} s");
        var body = JsonNode.Parse(text)!;
        // The gateway that relayed the run answers a failed result (200); one that could not route it answers 503.
        Assert.True(answer.StatusCode == HttpStatusCode.OK ? body["state"]!.GetValue<string>() == "failed" : answer.StatusCode == HttpStatusCode.ServiceUnavailable, text);
        Assert.Equal("executor_unavailable", body["error"]!["code"]!.GetValue<string>());
        Assert.True(body["error"]!["retryable"]!.GetValue<bool>(), text);
        Assert.True(waited < TimeSpan.FromSeconds(10), $"the caller waited {waited.TotalSeconds:0.0} s after the kill");
        output.WriteLine($"docker kill {owner}: its caller got executor_unavailable {waited.TotalSeconds:0.0} s later");
    }

    private static Task<HttpResponseMessage> ExecuteAsync(HttpClient client, string body) =>
        client.PostAsync("/v1/atomic-node-runs:execute", new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task<JsonNode> ResultAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
            return JsonNode.Parse(text)!;
        }
    }

    private static string NewId(string kind) => $"{kind}-{Guid.NewGuid():N}";

    private static string Echo(string id, string text) =>
        $$$"""{"node_run_id":"{{{id}}}","run_id":"compose","node_type_ref":{"node_type_id":"jarvis.core.echo","version":"0.3.8"},"inputs":{"echo":"{{{text}}}"}}""";

    private static string Sleep(string id, int seconds) =>
        $$$"""{"node_run_id":"{{{id}}}","run_id":"compose","node_type_ref":{"node_type_id":"jarvis.core.sleep","version":"0.3.8"},"inputs":{"seconds":{{{seconds}}}}}""";

    private static async Task WaitForMembersAsync(HttpClient balancer, int members, TimeSpan bound) =>
        await WaitUntilAsync(async () =>
        {
            try { return (await balancer.GetStringAsync("/v1/health")).Contains($"\"members_up\":{members}", StringComparison.Ordinal); }
            catch (HttpRequestException) { return false; }
        }, bound, $"the cluster never had {members} members up through nginx");

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan bound, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > bound) throw new TimeoutException($"{failure} within {bound.TotalSeconds:0} s");
            await Task.Delay(250);
        }
    }

    private static async Task<double> InFlightAsync(string address)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var text = await client.GetStringAsync($"http://{address}:8082/metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("jarvis_runs_in_flight ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    private static async Task<string> AddressOfAsync(string container) =>
        (await Docker.RunAsync(TimeSpan.FromSeconds(20), "inspect", "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", container)).Trim();

    /// <summary>docker-compose 1.x names a service's container project_service_1.</summary>
    private static string Container(string project, string service) => $"{project}_{service}_1";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Dockerfile")) && File.Exists(Path.Combine(dir.FullName, "deploy", "compose.yaml")))
                return dir.FullName;
        throw new InvalidOperationException("the repository root (with Dockerfile and deploy/compose.yaml) was not found above the test's directory");
    }
}
