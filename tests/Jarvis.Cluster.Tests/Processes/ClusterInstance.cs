using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Cluster.Tests.Processes;

/// <summary>One executor process of an <see cref="ExecutorCluster"/>: its HTTP client, its Akka address, and the
/// signals a test sends it. Disposing kills the process (if it still runs) and releases the client.</summary>
public sealed class ClusterInstance : IAsyncDisposable
{
    internal ClusterInstance(int index, ExecutorProcess process, int clusterPort, string protocol = "akka.tcp")
    {
        Protocol = protocol;
        Index = index;
        Process = process;
        ClusterPort = clusterPort;
        Client = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
    }

    public int Index { get; }
    public ExecutorProcess Process { get; }
    public HttpClient Client { get; }
    public Uri BaseAddress => Process.BaseAddress;
    public int HttpPort => Process.Port;
    public int ClusterPort { get; }

    /// <summary><c>akka.tcp</c>, or <c>akka.ssl.tcp</c> with cluster TLS on.</summary>
    public string Protocol { get; }

    /// <summary>The Akka address the instance is configured with (actor system <c>jarvis</c>).</summary>
    public string Address => $"{Protocol}://jarvis@127.0.0.1:{ClusterPort}";

    /// <summary>True once <see cref="Kill"/> or <see cref="Terminate"/> was called: the instance is on its way out.</summary>
    public bool Stopping { get; private set; }

    public bool HasExited => Process.Process.HasExited;

    public string Name => $"instance {Index} (http {HttpPort}, akka {ClusterPort})";

    /// <summary>SIGKILL of the executor process, as a crashed host or the OOM killer would end it: no leave, no drain.</summary>
    public void Kill()
    {
        Stopping = true;
        Process.Process.Kill(entireProcessTree: false);
    }

    /// <summary>SIGTERM, as an orchestrator stops a container: drain, leave the cluster, exit.</summary>
    public void Terminate()
    {
        Stopping = true;
        Process.Terminate();
    }

    /// <summary>Waits for the process to exit and returns its exit code, or fails with what it printed.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            return await Process.WaitForExitAsync(timeout);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds:0} s; its output ends with:\n{OutputTail(40)}");
        }
    }

    /// <summary>The <c>cluster</c> check of /v1/health (the whole answer checked against the spec's Health schema).</summary>
    public async Task<ClusterView> ClusterViewAsync()
    {
        var health = await HealthReader.GetAsync(Client);
        var checks = health.ToString();
        var check = JsonNode.Parse(checks)!["checks"]!.AsArray().SingleOrDefault(c => c?["name"]?.GetValue<string>() == "cluster")
            ?? throw new InvalidOperationException(
                $"{Name}: /v1/health has no check named \"cluster\" (is it running in cluster mode, JARVIS_CLUSTER_ENABLED=true?): {checks}");
        var details = check["details"] ?? throw new InvalidOperationException($"{Name}: the cluster check has no details: {checks}");
        return new ClusterView(
            check["status"]!.GetValue<string>(),
            details["self"]?.GetValue<string>() ?? throw new InvalidOperationException($"{Name}: cluster check without details.self: {checks}"),
            details["members_up"]?.GetValue<int>() ?? throw new InvalidOperationException($"{Name}: cluster check without details.members_up: {checks}"),
            details["unreachable"]?.GetValue<int>() ?? throw new InvalidOperationException($"{Name}: cluster check without details.unreachable: {checks}"),
            details["remoting"]?.GetValue<string>() ?? throw new InvalidOperationException($"{Name}: cluster check without details.remoting: {checks}"),
            checks);
    }

    public Task<MetricsText> MetricsAsync() => MetricsText.ScrapeAsync(Client);

    /// <summary>The last <paramref name="lines"/> lines the process wrote (stderr first, then stdout).</summary>
    public string OutputTail(int lines)
    {
        static string Tail(string text, int n) => string.Join('\n', text.Split('\n').TakeLast(n));
        return $"--- stderr ---\n{Tail(Process.StandardError, lines)}\n--- stdout ---\n{Tail(Process.StandardOutput, lines)}";
    }

    /// <summary>How the process ended, as known at dispose ("exit code 0", "still running"…), for the test output.</summary>
    public string ExitSummary { get; private set; } = "still running";

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            ExitSummary = HasExited ? $"had exited with code {Process.Process.ExitCode}" : "was still running (killed)";
        }
        catch (InvalidOperationException) { }
        await Process.DisposeAsync();
    }

    public override string ToString() => Name;
}
