using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Jarvis.Benchmarks;

/// <summary>A server under test (the executor or the bare endpoint) on a free 127.0.0.1 port. Its output goes to a
/// log file, not through the driver: a log line per run must not cost the driver CPU, nor be lost on failure.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(string name, Process process, int port, string logPath)
    {
        Name = name;
        _process = process;
        Port = port;
        LogPath = logPath;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public string Name { get; }
    public int Port { get; }
    public int Pid => _process.Id;
    public Uri BaseAddress { get; }
    public string LogPath { get; }
    /// <summary>From the process start to the first healthy <c>/v1/health</c>.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>The executor as operators run it, with auth off; <paramref name="settings"/> adds or overrides variables.</summary>
    public static Task<ServerProcess> StartExecutorAsync(BenchOptions options, string logDirectory, string name,
        IReadOnlyDictionary<string, string>? settings, CancellationToken cancellation)
    {
        var environment = new Dictionary<string, string> { ["ARP_AUTH_PROFILE"] = "dev-insecure" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) environment[key] = value;
        return StartAsync(name, options.ExecutorPath, environment, logDirectory, cancellation);
    }

    public static Task<ServerProcess> StartBareEndpointAsync(BenchOptions options, string logDirectory, CancellationToken cancellation) =>
        StartAsync("bare-endpoint", options.BareEndpointPath, new Dictionary<string, string>(), logDirectory, cancellation);

    private static async Task<ServerProcess> StartAsync(string name, string executable, IReadOnlyDictionary<string, string> environment,
        string logDirectory, CancellationToken cancellation)
    {
        if (!File.Exists(executable)) throw new FileNotFoundException($"{executable} is missing: build it first (tests/Benchmarks/run.sh does)");
        var port = FreePort();
        var logPath = Path.Combine(logDirectory, $"{name}-{port}.log");
        // exec keeps the pid: /proc/<pid> and kill reach the server itself, not a shell.
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(executable)! };
        foreach (var arg in new[] { "-c", "exec \"$0\" \"$@\" >\"$BENCH_LOG\" 2>&1", executable, "--host", "127.0.0.1", "--port", port.ToString() })
            info.ArgumentList.Add(arg);
        foreach (var key in info.Environment.Keys.Where(IsServerSetting).ToList()) info.Environment.Remove(key);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        info.Environment["BENCH_LOG"] = logPath;

        var clock = Stopwatch.StartNew();
        var server = new ServerProcess(name, ChildProcesses.Start(info), port, logPath);
        try
        {
            await server.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60), cancellation);
        }
        catch
        {
            server.Dispose();
            throw;
        }
        server.StartupTime = clock.Elapsed;
        return server;
    }

    /// <summary>The driver's own environment must not leak into a server: only what a phase sets applies.</summary>
    private static bool IsServerSetting(string key) =>
        key.StartsWith("ARP_", StringComparison.Ordinal) || key.StartsWith("JARVIS_", StringComparison.Ordinal) ||
        key.StartsWith("LOG_", StringComparison.Ordinal) || key.StartsWith("ASPNETCORE_", StringComparison.Ordinal);

    private async Task WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken cancellation)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            cancellation.ThrowIfCancellationRequested();
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} during start-up:\n{LogTail()}");
            try
            {
                using var response = await client.GetAsync("/v1/health", cancellation);
                if (response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync(cancellation)).Contains("\"status\":\"ok\"")) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!cancellation.IsCancellationRequested) { }
            await Task.Delay(5, cancellation);
        }
        throw new TimeoutException($"{Name} was not healthy within {timeout.TotalSeconds:0} s:\n{LogTail()}");
    }

    public long Rss => ProcessMemory.Rss(Pid);
    public long PeakRss => ProcessMemory.PeakRss(Pid);
    public bool HasExited => _process.HasExited;

    public string LogTail(int lines = 20)
    {
        try { return string.Join('\n', File.ReadLines(LogPath).TakeLast(lines)); }
        catch (IOException) { return "(no log)"; }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        ChildProcesses.Stop(_process);
        _process.Dispose();
    }
}
