using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Jarvis.Tests.Shared;

/// <summary>What the load-balancer tests and the benchmark's cluster rows share: finding nginx, its round-robin
/// configuration in front of executors, and free loopback ports.</summary>
public static class NginxSetup
{
    /// <summary>/usr/sbin/nginx (Debian's), else the first nginx on PATH; null when there is none.</summary>
    public static string? FindExecutable()
    {
        const string debian = "/usr/sbin/nginx";
        if (File.Exists(debian)) return debian;
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "nginx")).FirstOrDefault(File.Exists);
    }

    /// <summary>A fresh temporary prefix directory for one nginx (configuration, pid, logs, <c>temp/</c>), readable by
    /// the unprivileged user nginx started as root runs its worker as.</summary>
    public static string CreatePrefixDirectory(string namePrefix)
    {
        var directory = Directory.CreateTempSubdirectory(namePrefix).FullName;
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        Directory.CreateDirectory(Path.Combine(directory, "temp"));
        return directory;
    }

    /// <summary>nginx's arguments for a prefix directory: <c>-e</c> puts the error log there from the very start
    /// (before the configuration is read), so nothing goes to /var/log.</summary>
    public static string[] Arguments(string directory, string config) =>
        ["-p", directory + "/", "-c", config, "-e", Path.Combine(directory, "error.log")];

    /// <summary>What a worker may hold unless told otherwise: enough for the tests and the echo rows.</summary>
    public const int DefaultWorkerConnections = 4096;

    /// <summary>The start of every configuration: foreground, one worker by default (the cores are shared with the
    /// executors), pid and error log in <paramref name="directory"/>; to be followed by the <c>http</c> block, which
    /// should hold <see cref="HttpTempPaths"/>. Above <see cref="DefaultWorkerConnections"/> each worker raises its own
    /// open-file limit to match (a proxied request holds two descriptors, client and upstream); it cannot go above the
    /// hard limit nginx was started with unless nginx runs as root with CAP_SYS_RESOURCE.</summary>
    public static string MainContext(string directory, int workerProcesses = 1, int workerConnections = DefaultWorkerConnections)
    {
        var rlimit = workerConnections > DefaultWorkerConnections ? $"worker_rlimit_nofile {workerConnections + 64};" : "";
        return $$"""
            daemon off;
            worker_processes {{workerProcesses}};
            {{rlimit}}
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;

            events {
                worker_connections {{workerConnections}};
            }
            """;
    }

    /// <summary>Every temp path of the <c>http</c> block inside <paramref name="directory"/>.</summary>
    public static string HttpTempPaths(string directory) => $"""
        client_body_temp_path {directory}/temp/client_body;
        proxy_temp_path {directory}/temp/proxy;
        fastcgi_temp_path {directory}/temp/fastcgi;
        uwsgi_temp_path {directory}/temp/uwsgi;
        scgi_temp_path {directory}/temp/scgi;
        """;

    /// <summary>Stops an nginx run from <paramref name="directory"/> (a <see cref="CreatePrefixDirectory"/>) and removes
    /// that directory. With <paramref name="terminate"/> the master is first asked to stop (it then reaps its worker, which
    /// matters where no init reaps orphans), and killed with its worker only if it has not exited within 5 s.</summary>
    public static async Task StopAsync(Process process, string directory, Action<int>? terminate = null)
    {
        try
        {
            if (!process.HasExited) await StopRunningAsync(process, terminate);
        }
        catch (InvalidOperationException) { } // never started
        process.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static async Task StopRunningAsync(Process process, Action<int>? terminate)
    {
        if (terminate is not null)
        {
            terminate(process.Id);
            using var graceful = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await process.WaitForExitAsync(graceful.Token);
                return;
            }
            catch (OperationCanceledException) { }
        }
        process.Kill(entireProcessTree: true);
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(bounded.Token);
    }

    /// <summary>A log nginx is still writing, or "" before it exists.</summary>
    public static string ReadLog(string directory, string name)
    {
        try
        {
            using var stream = new FileStream(Path.Combine(directory, name), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }

    /// <summary>nginx in the foreground on 127.0.0.1:<paramref name="port"/>, round robin over <paramref name="upstreams"/>
    /// with kept-alive connections that are never closed after a number of requests (so no measurement pays for
    /// reconnecting), every path inside <paramref name="directory"/>. One worker by default: the cores are shared with the
    /// executors. With <paramref name="logUpstreams"/>, <c>upstream.log</c> gets the upstream address of every request.
    /// More than one worker process listens with <c>reuseport</c>, so the kernel spreads the clients evenly over them
    /// (each worker then needs descriptors for its share only).</summary>
    public static string Configuration(string directory, int port, IEnumerable<Uri> upstreams, bool logUpstreams = false,
        int workerProcesses = 1, int workerConnections = DefaultWorkerConnections)
    {
        var servers = string.Join("\n        ", upstreams.Select(u => $"server {u.Host}:{u.Port};"));
        var accessLog = logUpstreams ? $"access_log {directory}/upstream.log upstream_only;" : "access_log off;";
        var reusePort = workerProcesses > 1 ? " reuseport" : "";
        return $$"""
            {{MainContext(directory, workerProcesses, workerConnections)}}

            http {
                access_log off;
                {{HttpTempPaths(directory)}}
                client_max_body_size 4m;
                keepalive_requests 1000000;
                keepalive_timeout 75s;
                log_format upstream_only '$upstream_addr';

                upstream executors {
                    {{servers}}
                    keepalive 128;
                    keepalive_requests 1000000;
                    keepalive_timeout 60s;
                }

                server {
                    listen 127.0.0.1:{{port}}{{reusePort}};
                    {{accessLog}}

                    location / {
                        proxy_pass http://executors;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $host;
                        # only a connection that failed before the request was sent is tried on the next executor
                        proxy_next_upstream error;
                        proxy_connect_timeout 5s;
                        proxy_send_timeout 120s;
                        proxy_read_timeout 120s;
                    }
                }
            }

            """;
    }

    /// <summary>Distinct free loopback ports: every listener stays open until all are picked.</summary>
    public static int[] FreeLoopbackPorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            foreach (var listener in listeners) listener.Start();
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners) listener.Stop();
        }
    }
}
