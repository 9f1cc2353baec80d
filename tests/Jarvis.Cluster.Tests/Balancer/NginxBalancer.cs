using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Jarvis.Tests.Shared;

namespace Jarvis.Cluster.Tests.Balancer;

/// <summary>nginx as a round-robin HTTP load balancer on 127.0.0.1 in front of the given upstreams, run in the
/// foreground from a fresh temporary directory holding its configuration, pid file, logs and temp paths (nothing of
/// the system nginx is used). Killed, and its directory removed, on dispose. A missing nginx binary is a failure,
/// not a skip: CI installs it (.ci/run).</summary>
public sealed class NginxBalancer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NginxBalancer(Process process, string directory, int port)
    {
        _process = process;
        Directory = directory;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }
    public Uri BaseAddress { get; }

    /// <summary>The prefix directory: nginx.conf, nginx.pid, error.log, access.log, temp/.</summary>
    public string Directory { get; }

    public string ErrorLog => ReadLog("error.log");

    /// <summary>The upstream address of every proxied request, one per line (the <c>upstream</c> access log).</summary>
    public IReadOnlyList<string> UpstreamLog => ReadLog("upstream.log").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The nginx binary; a missing one fails the test with how to install it.</summary>
    public static string FindExecutable() => NginxSetup.FindExecutable() ?? throw new InvalidOperationException(
        "nginx was not found (neither /usr/sbin/nginx nor nginx on PATH): the load-balancer tests need it. " +
        "Install it (Debian/Ubuntu: apt-get install nginx) or run the tests through .ci/run, which installs it.");

    /// <summary>Starts nginx in front of <paramref name="upstreams"/> and waits until its port accepts connections.</summary>
    public static async Task<NginxBalancer> StartAsync(IEnumerable<Uri> upstreams, TimeSpan? timeout = null)
    {
        var executable = FindExecutable();
        var directory = NginxSetup.CreatePrefixDirectory("jarvis-nginx-");
        var port = NginxSetup.FreeLoopbackPorts(1)[0];
        var config = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(config, NginxSetup.Configuration(directory, port, upstreams, logUpstreams: true));

        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in NginxSetup.Arguments(directory, config)) info.ArgumentList.Add(arg);
        var process = new Process { StartInfo = info };
        var balancer = new NginxBalancer(process, directory, port);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (balancer._output) balancer._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (balancer._output) balancer._output.AppendLine(e.Data); };
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await balancer.WaitUntilAcceptingAsync(timeout ?? TimeSpan.FromSeconds(20));
            return balancer;
        }
        catch
        {
            await balancer.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilAcceptingAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException(
                    $"nginx exited with {_process.ExitCode} at start-up: {Output}\nerror.log: {ErrorLog}\nconfiguration:\n" +
                    File.ReadAllText(Path.Combine(Directory, "nginx.conf")));
            using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                try
                {
                    using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), attempt.Token);
                    return;
                }
                catch (SocketException) { }
                catch (OperationCanceledException) { }
            }
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"nginx did not accept connections on {BaseAddress} within {timeout.TotalSeconds:0} s: {Output}\n{ErrorLog}");
            await Task.Delay(50);
        }
    }

    private string ReadLog(string name) => NginxSetup.ReadLog(Directory, name);

    public async ValueTask DisposeAsync() => await NginxSetup.StopAsync(_process, Directory);

    public override string ToString() => $"nginx on {BaseAddress} ({Directory})";
}
