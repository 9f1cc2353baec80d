using System.Net;
using Jarvis.Actors.Hosting;
using Jarvis.Actors.Supervision;
using Jarvis.NodePacks.Egress;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Api.Config;

public enum LogFormat { Text, Json }

/// <summary>Every setting of the service, read and validated once at start (DESIGN §7).</summary>
public sealed record JarvisOptions
{
    public const string DefaultHost = "127.0.0.1";
    public const int DefaultPort = 8082;

    public string Host { get; init; } = DefaultHost;
    public int Port { get; init; } = DefaultPort;
    public long MaxBodyBytes { get; init; } = 1024 * 1024;
    public required RunSupervisorSettings Runs { get; init; }
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(30);
    public IReadOnlyList<string> NodePackDirectories { get; init; } = [];
    /// <summary>Where nodes may send traffic through the guarded HttpClient (jarvis.web.fetch and any pack using it).</summary>
    public EgressPolicy Egress { get; init; } = new();
    public LogLevel LogLevel { get; init; } = LogLevel.Information;
    public LogFormat LogFormat { get; init; } = LogFormat.Text;
    public TracingOptions Tracing { get; init; } = new();
    /// <summary>Cluster mode's settings; null on a single node (the default).</summary>
    public ClusterSettings? Cluster { get; init; }

    public string ListenUrl => IPAddress.TryParse(Host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
        ? $"http://[{Host}]:{Port}"
        : $"http://{Host}:{Port}";

    private static readonly Dictionary<string, LogLevel> LogLevels = new()
    {
        ["trace"] = LogLevel.Trace, ["debug"] = LogLevel.Debug, ["info"] = LogLevel.Information,
        ["information"] = LogLevel.Information, ["warning"] = LogLevel.Warning, ["warn"] = LogLevel.Warning,
        ["error"] = LogLevel.Error, ["critical"] = LogLevel.Critical,
    };

    private static readonly Dictionary<string, LogFormat> LogFormats = new() { ["text"] = LogFormat.Text, ["json"] = LogFormat.Json };

    /// <summary>Only where the service listens (--host, --port): what the health command needs, without reading
    /// and checking everything else (cluster certificates included) at every probe.</summary>
    public static (string Host, int Port) LoadListenAddress(IConfiguration configuration) => ListenAddress(new ConfigReader(configuration));

    private static (string Host, int Port) ListenAddress(ConfigReader read)
    {
        var host = read.Text("host") ?? DefaultHost;
        // Kestrel binds every interface for a host name it cannot map to an address; only literals say exactly where.
        if (host != "localhost" && !IPAddress.TryParse(host, out _))
            throw new StartupException($"--host {host} is not valid: expected an IP address (e.g. 127.0.0.1, 0.0.0.0, ::1) or localhost");
        return (host, read.Int("port", 0, 65_535) ?? DefaultPort);
    }

    public static JarvisOptions Load(IConfiguration configuration)
    {
        var read = new ConfigReader(configuration);
        var (host, port) = ListenAddress(read);
        var timeout = read.Seconds("JARVIS_DEFAULT_TIMEOUT_SECS", 0.001, 86_400) ?? RunSupervisorSettings.Default.DefaultTimeout;
        var cap = read.Int("JARVIS_MAX_CONCURRENCY", 1, 1_000_000);
        var queue = read.Int("JARVIS_MAX_QUEUE", 0, 10_000_000) ?? (cap is { } c ? 10 * c : 0);
        var maxBodyBytes = read.Int("JARVIS_MAX_BODY_BYTES", 1024, 256 * 1024 * 1024) ?? 1024 * 1024;
        return new JarvisOptions
        {
            Host = host,
            Port = port,
            MaxBodyBytes = maxBodyBytes,
            Runs = new RunSupervisorSettings(
                DefaultTimeout: timeout,
                MaxConcurrency: cap,
                MaxQueue: queue,
                QueueTimeout: read.Seconds("JARVIS_QUEUE_TIMEOUT_SECS", 0.001, 86_400) ?? RunSupervisorSettings.Default.QueueTimeout,
                ResultTtl: read.Seconds("JARVIS_RESULT_TTL_SECS", 0, 86_400) ?? RunSupervisorSettings.Default.ResultTtl,
                MaxRememberedRuns: read.Int("JARVIS_MAX_REMEMBERED_RUNS", 1, 10_000_000) ?? RunSupervisorSettings.Default.MaxRememberedRuns,
                MaxRememberedBytes: read.Long("JARVIS_MAX_REMEMBERED_BYTES", 0, 1L << 40) ?? RunSupervisorSettings.DefaultMaxRememberedBytes),
            ShutdownGrace = read.Seconds("JARVIS_SHUTDOWN_GRACE_SECS", 0, 3_600) ?? TimeSpan.FromSeconds(30),
            NodePackDirectories = NodePackDirs(read.Text("JARVIS_NODEPACKS_PATH")),
            Egress = new EgressPolicy
            {
                AllowedHosts = HostList(read, "JARVIS_ATOMIC_HTTP_ALLOWED_HOSTS"),
                BlockedHosts = HostList(read, "JARVIS_ATOMIC_HTTP_BLOCKED_HOSTS"),
                Timeout = read.Seconds("JARVIS_ATOMIC_HTTP_TIMEOUT_SECONDS", 0.001, 3_600) ?? TimeSpan.FromSeconds(10),
                MaxResponseBytes = read.Int("JARVIS_ATOMIC_HTTP_MAX_BYTES", 0, 256 * 1024 * 1024) ?? 1024 * 1024,
            },
            LogLevel = read.OneOf("LOG_LEVEL", LogLevels) ?? LogLevel.Information,
            LogFormat = read.OneOf("LOG_FORMAT", LogFormats) ?? LogFormat.Text,
            Tracing = TracingOptions.Load(read),
            Cluster = ClusterConfig.Load(read, maxBodyBytes),
        };
    }

    private static IReadOnlyList<string> HostList(ConfigReader read, string key)
    {
        try
        {
            return HostPattern.ParseList(read.Text(key)).Select(p => p.Text).ToArray();
        }
        catch (FormatException e)
        {
            throw new StartupException($"{key} is not valid: {e.Message}");
        }
    }

    private static IReadOnlyList<string> NodePackDirs(string? path)
    {
        if (path is null) return [];
        var dirs = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var dir in dirs)
            if (!Directory.Exists(dir))
                throw new StartupException($"JARVIS_NODEPACKS_PATH names '{dir}', which is not a directory");
        return dirs;
    }
}
