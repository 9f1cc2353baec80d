using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Jarvis.Tests.Shared;

namespace Jarvis.Cluster.Tests.Partition;

/// <summary>
/// nginx inside the balancer namespace, from a temporary prefix directory of its own (configuration, pid, logs, temp
/// paths and sockets; nothing of the system nginx is used). It listens on UNIX sockets only: <c>lb.sock</c>, round
/// robin over the three executors with the upstream parameters and retry directives of the product's cluster sample
/// (<see cref="SampleBalancerSettings"/>), and one socket per
/// executor (<c>a.sock</c>…) that proxies to that executor alone and never retries, so the test can probe each one
/// from the root namespace. The access log has one line per request with the upstreams tried, from which the test
/// counts requests nginx retried on another executor. Killed (master and worker) and its directory removed on dispose.
/// </summary>
internal sealed class NamespacedBalancer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NamespacedBalancer(Process process, string directory)
    {
        _process = process;
        Directory = directory;
    }

    public string Directory { get; }

    /// <summary>The product sample's balancing directives this nginx uses.</summary>
    public static SampleBalancerSettings Sample => LoadedSample.Value;

    private static readonly Lazy<SampleBalancerSettings> LoadedSample = new(SampleBalancerSettings.Load);

    public string BalancedSocket => Path.Combine(Directory, "lb.sock");

    public string DirectSocket(ExecutorSite site) => Path.Combine(Directory, $"{char.ToLowerInvariant(site.Letter)}.sock");

    public string Output { get { lock (_output) return _output.ToString(); } }

    public string ErrorLog => ReadShared("error.log");

    public IReadOnlyList<string> ErrorLogLines => ErrorLog.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>error.log's kinds of complaint with their counts, most frequent first: each line without its time,
    /// connection number and request details, with the upstream it concerns ("[error] connect() failed … (C) × 12").</summary>
    /// <param name="skipLines">Lines logged before the part of interest (e.g. while the executors were starting).</param>
    public IReadOnlyList<string> ErrorSummary(int skipLines = 0) => ErrorLogLines.Skip(skipLines)
        .Select(line =>
        {
            var complaint = Regex.Replace(line, @"^\S+ \S+ (\[\w+\]) \d+#\d+: (\*\d+ )?", "$1 ").Split(", client:")[0];
            var upstream = Regex.Match(line, @"upstream: ""http://([^/""]+)");
            var site = PartitionNetwork.Sites.FirstOrDefault(s => upstream.Success && upstream.Groups[1].Value == s.HttpEndpoint);
            return site is null ? complaint : $"{complaint} ({site.Name})";
        })
        .GroupBy(line => line)
        .OrderByDescending(g => g.Count())
        .Select(g => $"{g.Key} × {g.Count()}")
        .ToList();

    /// <summary>The requests that went through <c>lb.sock</c>, as far as nginx has logged them.</summary>
    public IReadOnlyList<BalancerLogEntry> AccessLog => ReadLog("access.log");

    /// <summary>The requests that went through the per-executor sockets.</summary>
    public IReadOnlyList<BalancerLogEntry> DirectLog => ReadLog("direct.log");

    private List<BalancerLogEntry> ReadLog(string name) =>
        ReadShared(name).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(BalancerLogEntry.Parse).ToList();

    public static async Task<NamespacedBalancer> StartAsync(PartitionNetwork network, TimeSpan timeout)
    {
        var directory = NginxSetup.CreatePrefixDirectory("jarvis-partition-");
        var config = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(config, PartitionNginxConfig.Render(directory, PartitionNetwork.Sites, Sample));

        var info = new ProcessStartInfo(NetworkNamespaceHost.Ip)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] inNamespace = ["netns", "exec", network.BalancerNamespace, NetworkNamespaceHost.Nginx];
        foreach (var arg in inNamespace.Concat(NginxSetup.Arguments(directory, config))) info.ArgumentList.Add(arg);
        var process = new Process { StartInfo = info };
        var balancer = new NamespacedBalancer(process, directory);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (balancer._output) balancer._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (balancer._output) balancer._output.AppendLine(e.Data); };
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await balancer.WaitUntilListeningAsync(timeout);
            return balancer;
        }
        catch
        {
            await balancer.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        var sockets = PartitionNetwork.Sites.Select(DirectSocket).Prepend(BalancedSocket).ToList();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException(
                    $"nginx exited with {_process.ExitCode} at start-up: {Output}\nerror.log: {ErrorLog}\nconfiguration:\n" +
                    File.ReadAllText(Path.Combine(Directory, "nginx.conf")));
            var accepting = await Task.WhenAll(sockets.Select(UnixSocketHttp.AcceptsAsync));
            if (accepting.All(ok => ok)) return;
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"nginx did not listen on {string.Join(", ", sockets)} within {timeout.TotalSeconds:0} s: {Output}\n{ErrorLog}");
            await Task.Delay(50);
        }
    }

    private string ReadShared(string name) => NginxSetup.ReadLog(Directory, name);

    // ip netns exec execed nginx, so the process is the master: asked to stop, it reaps its worker (a worker killed
    // beside its master would linger as a zombie until init reaps it)
    public async ValueTask DisposeAsync() => await NginxSetup.StopAsync(_process, Directory, Signals.Terminate);

    public override string ToString() => $"nginx in {BalancedSocket}";
}
