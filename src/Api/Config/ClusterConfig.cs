using System.Text.RegularExpressions;
using Jarvis.Actors.Hosting;

namespace Jarvis.Api.Config;

/// <summary>Reads JARVIS_CLUSTER_*: null (single node) unless JARVIS_CLUSTER_ENABLED is true.</summary>
internal static partial class ClusterConfig
{
    public const int DefaultPort = 4053;

    private static readonly Dictionary<string, bool> Booleans = new()
    {
        ["true"] = true, ["1"] = true, ["yes"] = true, ["on"] = true,
        ["false"] = false, ["0"] = false, ["no"] = false, ["off"] = false,
    };

    public static ClusterSettings? Load(ConfigReader read, long maxBodyBytes)
    {
        if (read.OneOf("JARVIS_CLUSTER_ENABLED", Booleans) != true) return null;
        var host = HostName(read, "JARVIS_CLUSTER_HOSTNAME") ?? "127.0.0.1";
        var publicHost = HostName(read, "JARVIS_CLUSTER_PUBLIC_HOSTNAME");
        if (publicHost is null && host is "0.0.0.0" or "::")
            throw new StartupException($"JARVIS_CLUSTER_HOSTNAME={host} binds every interface, so other nodes need JARVIS_CLUSTER_PUBLIC_HOSTNAME to dial this one");
        var tls = ClusterTlsConfig.Load(read);
        var protocol = tls is null ? ClusterSettings.PlainProtocol : ClusterSettings.TlsProtocol;
        var seeds = Seeds(read.Text("JARVIS_CLUSTER_SEEDS"), protocol);
        var selfJoin = read.OneOf("JARVIS_CLUSTER_SELF_JOIN", Booleans) ?? false;
        if (seeds.Count == 0 && !selfJoin)
            throw new StartupException("JARVIS_CLUSTER_ENABLED=true needs JARVIS_CLUSTER_SEEDS (e.g. " +
                $"{protocol}://{ClusterSettings.SystemName}@127.0.0.1:{DefaultPort}), or JARVIS_CLUSTER_SELF_JOIN=true to form a cluster of its own");
        if (seeds.Count > 0 && selfJoin)
            throw new StartupException("JARVIS_CLUSTER_SEEDS and JARVIS_CLUSTER_SELF_JOIN=true are both set: list this node first among the seeds instead");
        var role = read.Text("JARVIS_CLUSTER_ROLE");
        if (role is not null && !RolePattern().IsMatch(role))
            throw new StartupException($"JARVIS_CLUSTER_ROLE={role} is not valid: expected letters, digits, '.', '_' or '-' (at most 64)");
        return new ClusterSettings(
            HostName: host,
            Port: read.Int("JARVIS_CLUSTER_PORT", 0, 65_535) ?? DefaultPort,
            PublicHostName: publicHost,
            Seeds: seeds,
            SelfJoin: selfJoin,
            Role: role,
            AckTimeout: read.Seconds("JARVIS_CLUSTER_ROUTE_TIMEOUT_SECS", 0.1, 600) ?? ClusterSettings.DefaultAckTimeout,
            // A request's inputs and a result's outputs cross nodes as JSON: room for both at the body limit.
            MaxFrameBytes: (int)Math.Clamp(4 * maxBodyBytes + 64 * 1024, 4 * 1024 * 1024, int.MaxValue / 2),
            Tls: tls);
    }

    private static string? HostName(ConfigReader read, string key)
    {
        if (read.Text(key) is not { } host) return null;
        return Uri.CheckHostName(host) == UriHostNameType.Unknown
            ? throw new StartupException($"{key}={host} is not valid: expected a host name or an IP address")
            : host;
    }

    private static IReadOnlyList<string> Seeds(string? text, string protocol)
    {
        if (text is null) return [];
        var seeds = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var seed in seeds)
        {
            if (IsSeed(seed, out var scheme) && scheme == protocol) continue;
            var expected = $"{protocol}://{ClusterSettings.SystemName}@HOST:PORT (comma-separated)";
            throw new StartupException(scheme is ClusterSettings.PlainProtocol or ClusterSettings.TlsProtocol && scheme != protocol
                ? $"JARVIS_CLUSTER_SEEDS has '{seed}', but cluster TLS is {(protocol == ClusterSettings.TlsProtocol ? "on" : "off")} " +
                  $"({ClusterTlsConfig.CertificateKey}{(protocol == ClusterSettings.TlsProtocol ? " is set" : " is not set")}): expected {expected}"
                : $"JARVIS_CLUSTER_SEEDS has '{seed}', which is not a seed address: expected {expected}");
        }
        return seeds;
    }

    private static bool IsSeed(string seed, out string? scheme)
    {
        scheme = null;
        if (!Uri.TryCreate(seed, UriKind.Absolute, out var uri)) return false;
        scheme = uri.Scheme;
        return uri.UserInfo == ClusterSettings.SystemName &&
            uri.Host.Length > 0 &&
            !seed.EndsWith(':') && uri.Port is > 0 and <= 65_535 && !uri.IsDefaultPort &&
            uri.AbsolutePath is "" or "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex RolePattern();
}
