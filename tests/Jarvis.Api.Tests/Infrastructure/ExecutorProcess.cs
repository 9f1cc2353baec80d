using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Jarvis.Api.Tests.Infrastructure;

/// <summary>The built executable run as its own process (start-up errors, signals). Always killed on dispose.</summary>
public sealed class ExecutorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ExecutorProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }
    public Uri BaseAddress { get; }
    public Process Process => _process;

    public string StandardOutput { get { lock (_stdout) return _stdout.ToString(); } }
    public string StandardError { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>Path of jarvis-atomic-executor.dll, built beside the tests by the project reference.</summary>
    public static string ExecutablePath => Path.Combine(AppContext.BaseDirectory, "jarvis-atomic-executor.dll");

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <param name="environment">Variables for the child; ARP_* and JARVIS_* from the test's own environment are removed first.</param>
    public static ExecutorProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var port = FreePort();
        return Start(environment, port, ["--host", "127.0.0.1", "--port", port.ToString(), .. args]);
    }

    /// <summary>The executable with exactly <paramref name="args"/> (e.g. a sub-command, which must come first),
    /// no --host/--port added; <see cref="Port"/> is then meaningless.</summary>
    public static ExecutorProcess StartCommand(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Start(environment, 0, args);

    private static ExecutorProcess Start(IReadOnlyDictionary<string, string> environment, int port, string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(ExecutablePath);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("ARP_") || k.StartsWith("JARVIS_")).ToList())
            info.Environment.Remove(key);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var process = new Process { StartInfo = info };
        var started = new ExecutorProcess(process, port);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (started._stdout) started._stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (started._stderr) started._stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Waits until /v1/health answers, or fails with what the process printed.</summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the executor exited with {_process.ExitCode}: {StandardError}{StandardOutput}");
            try
            {
                if ((await client.GetAsync("/v1/health")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException($"the executor did not serve within {timeout}: {StandardError}{StandardOutput}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as an orchestrator stops a container.</summary>
    public void Terminate() => Posix.Kill(_process.Id, Posix.SigTerm);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }

    private static class Posix
    {
        public const int SigTerm = 15;

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}
