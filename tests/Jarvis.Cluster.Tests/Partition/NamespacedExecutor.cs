using System.Diagnostics;
using System.Globalization;
using System.Text;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Cluster.Tests.Partition;

/// <summary>
/// One executor process (the built <c>jarvis-atomic-executor.dll</c>) inside its site's network namespace, in cluster
/// mode with A and B as seeds. Started through <c>ip netns exec</c>, which execs, so the process the test holds is
/// the executor itself: its exit code is the executor's, and a kill reaches it. Every stdout line is stamped with the
/// test clock on arrival (the run log's timing comes from these stamps); stderr is kept whole.
/// </summary>
internal sealed class NamespacedExecutor : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _clock;
    private readonly List<StampedLine> _stdout = [];
    private readonly StringBuilder _stderr = new();
    private TimeSpan? _exitedAt;

    private NamespacedExecutor(ExecutorSite site, int incarnation, Process process, Stopwatch clock)
    {
        Site = site;
        Incarnation = incarnation;
        _process = process;
        _clock = clock;
    }

    public ExecutorSite Site { get; }

    /// <summary>1 for the first process of a site, 2 for its restart.</summary>
    public int Incarnation { get; }

    public string Name => Incarnation == 1 ? Site.Name : $"{Site.Name}#{Incarnation}";

    public IReadOnlyList<StampedLine> StandardOutput { get { lock (_stdout) return _stdout.ToList(); } }

    public string StandardError { get { lock (_stderr) return _stderr.ToString(); } }

    public bool HasExited => _process.HasExited;

    /// <summary>When the test saw the process end (test clock); null while it runs.</summary>
    public TimeSpan? ExitedAt { get { lock (_stdout) return _exitedAt; } }

    public int ExitCode => _process.ExitCode;

    /// <summary>True once the test killed it (then its exit code says nothing about the executor).</summary>
    public bool KilledByTest { get; private set; }

    public static readonly IReadOnlyList<ExecutorSite> Seeds = PartitionNetwork.Sites.Take(2).ToList();

    public static NamespacedExecutor Start(PartitionNetwork network, ExecutorSite site, int incarnation, Stopwatch clock)
    {
        var info = new ProcessStartInfo(NetworkNamespaceHost.Ip)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "netns", "exec", network.NamespaceOf(site), "dotnet", ExecutorProcess.ExecutablePath,
                     "--host", site.Address, "--port", ExecutorSite.HttpPort.ToString(CultureInfo.InvariantCulture),
                 })
            info.ArgumentList.Add(arg);
        // the test's own settings must not leak into the executor (as ExecutorProcess does)
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("ARP_") || k.StartsWith("JARVIS_") || k.StartsWith("LOG_")).ToList())
            info.Environment.Remove(key);
        info.Environment["ARP_AUTH_PROFILE"] = "dev-insecure";
        info.Environment["JARVIS_CLUSTER_ENABLED"] = "true";
        info.Environment["JARVIS_CLUSTER_HOSTNAME"] = site.Address;
        info.Environment["JARVIS_CLUSTER_PORT"] = ExecutorSite.RemotingPort.ToString(CultureInfo.InvariantCulture);
        info.Environment["JARVIS_CLUSTER_SEEDS"] = string.Join(',', Seeds.Select(s => s.AkkaAddress));
        // one JSON object per line: the run outcome's properties under "State", no text format to parse
        info.Environment["LOG_FORMAT"] = "json";

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var executor = new NamespacedExecutor(site, incarnation, process, clock);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            var line = new StampedLine(clock.Elapsed, e.Data);
            lock (executor._stdout) executor._stdout.Add(line);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (executor._stderr) executor._stderr.AppendLine(e.Data); };
        process.Exited += (_, _) => { lock (executor._stdout) executor._exitedAt ??= clock.Elapsed; };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return executor;
    }

    /// <summary>Waits for the exit; returns false (still running) after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using var bounded = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(bounded.Token);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
        _process.WaitForExit(); // drains the redirected output
        lock (_stdout) _exitedAt ??= _clock.Elapsed;
        return true;
    }

    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        KilledByTest = true;
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { } // exited meanwhile
        await WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>The last lines of stderr and stdout; with <paramref name="withoutRunLines"/>, stdout without the run
    /// outcome lines (one per run: they would hide everything else), each line cut to a readable length.</summary>
    public string OutputTail(int lines, bool withoutRunLines = false)
    {
        var stdout = StandardOutput.Where(l => !withoutRunLines || !l.Text.Contains("RunOutcomeLog", StringComparison.Ordinal))
            .TakeLast(lines).Select(l => l.Text.Length <= 600 ? l.ToString() : l.ToString()[..600] + "…");
        return $"--- {Name} stderr ---\n{string.Join('\n', StandardError.Split('\n').TakeLast(lines))}\n" +
            $"--- {Name} stdout ---\n{string.Join('\n', stdout)}";
    }

    public string ExitSummary => !_process.HasExited ? "still running"
        : KilledByTest ? $"killed by the test (exit code {ExitCode})"
        : $"exited with code {ExitCode} at {ExitedAt?.TotalSeconds:0.000} s";

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    public override string ToString() => $"{Name} ({Site.Address})";
}
