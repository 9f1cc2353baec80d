using System.Diagnostics;
using System.Runtime.InteropServices;
using Jarvis.Tests.Shared;

namespace Jarvis.Benchmarks;

/// <summary>nginx as the cluster rows' load balancer: round robin (nginx's default) over the upstreams, with kept-alive
/// upstream connections, on a free 127.0.0.1 port. It runs in the foreground from a directory of its own in the work
/// directory (configuration, pid file, logs, temp paths; nothing of a system nginx is used) and is stopped on dispose,
/// or by <see cref="ChildProcesses.StopAll"/> whatever happens.</summary>
public sealed partial class Nginx : IDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;

    private Nginx(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }
    public Uri BaseAddress { get; }
    public string Directory { get; }

    public static string? FindExecutable() => NginxSetup.FindExecutable();

    /// <summary>"nginx/1.22.1", from <c>nginx -v</c>.</summary>
    public static string Version()
    {
        if (FindExecutable() is not { } nginx) return "nginx";
        var info = new ProcessStartInfo(nginx, "-v") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        var text = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return text.Split(':', 2) is [_, var version] ? version.Trim() : "nginx";
    }

    /// <summary>Starts nginx in front of <paramref name="upstreams"/> and returns once a <c>/v1/health</c> through it
    /// answers <c>"status":"ok"</c>. One worker process with the shared default of connections unless told otherwise
    /// (the sleep soak of row C4 needs more: see <see cref="NginxSetup.Configuration"/>).</summary>
    public static async Task<Nginx> StartAsync(IReadOnlyList<Uri> upstreams, string workDirectory, string name, CancellationToken cancellation,
        int workerProcesses = 1, int workerConnections = NginxSetup.DefaultWorkerConnections)
    {
        var executable = FindExecutable() ?? throw new InvalidOperationException("nginx is not installed (tests/Benchmarks/run.sh installs it)");
        var port = ServerProcess.FreePort();
        var directory = Path.Combine(workDirectory, $"{name}-{port}");
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "temp"));
        var config = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(config, NginxSetup.Configuration(directory, port, upstreams,
            workerProcesses: workerProcesses, workerConnections: workerConnections), cancellation);

        // exec keeps the pid: the master itself gets the SIGTERM; -e: no error goes to /var/log before the configuration is read
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = directory };
        foreach (var arg in new[] { "-c", "exec \"$0\" \"$@\" >\"$BENCH_LOG\" 2>&1", executable, "-p", directory + "/", "-c", config, "-e",
                     Path.Combine(directory, "error.log") })
            info.ArgumentList.Add(arg);
        info.Environment["BENCH_LOG"] = Path.Combine(directory, "output.log");
        var nginx = new Nginx(ChildProcesses.Start(info), port, directory);
        try
        {
            await nginx.WaitUntilProxyingAsync(TimeSpan.FromSeconds(20), cancellation);
            return nginx;
        }
        catch
        {
            nginx.Dispose();
            throw;
        }
    }

    private async Task WaitUntilProxyingAsync(TimeSpan timeout, CancellationToken cancellation)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            cancellation.ThrowIfCancellationRequested();
            if (_process.HasExited) throw new InvalidOperationException($"nginx exited with {_process.ExitCode} at start-up: {Logs()}");
            try
            {
                using var response = await client.GetAsync("/v1/health", cancellation);
                if (response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync(cancellation)).Contains("\"status\":\"ok\"")) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!cancellation.IsCancellationRequested) { }
            await Task.Delay(20, cancellation);
        }
        throw new TimeoutException($"nginx on {BaseAddress} did not proxy a healthy /v1/health within {timeout.TotalSeconds:0} s: {Logs()}");
    }

    /// <summary>CPU time of the master and its workers so far (the worker does the proxying).</summary>
    public TimeSpan CpuTime => ProcessCpu.TreeTime(_process.Id);

    private string Logs()
    {
        string Read(string file)
        {
            try { return File.ReadAllText(Path.Combine(Directory, file)).Trim(); }
            catch (IOException) { return ""; }
        }
        return $"{Read("output.log")} {Read("error.log")}".Trim();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>SIGTERM first (nginx's fast shutdown: the master stops and reaps its worker, so the worker's CPU time is
    /// counted as the benchmark's and not as other processes'), SIGKILL to the tree if it is still there after 5 s.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited && Kill(_process.Id, SigTerm) == 0) _process.WaitForExit(5_000);
        }
        catch (InvalidOperationException) { } // already gone
        ChildProcesses.Stop(_process);
        _process.Dispose();
    }
}
