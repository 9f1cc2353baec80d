using Jarvis.Tests.Shared;

namespace Jarvis.Cluster.Tests.Partition;

/// <summary>The host tools the partition test drives, found once, and whether this machine can make network
/// namespaces at all (checked by making and removing one).</summary>
internal static class NetworkNamespaceHost
{
    // root's sbin directories are not on every PATH a test runner inherits
    private static readonly string[] ExtraDirectories = ["/usr/sbin", "/sbin", "/usr/local/sbin"];

    private static readonly Lazy<string?> Problem = new(FindProblem);

    public static bool RunningOnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why namespaces cannot be made here, or null when they can.</summary>
    public static string? Unusable => Problem.Value;

    public static string Ip => Find("ip") ?? throw new InvalidOperationException(Unusable);
    public static string Iptables => Find("iptables") ?? throw new InvalidOperationException(Unusable);
    public static string Nginx => NginxSetup.FindExecutable() ?? throw new InvalidOperationException(Unusable);

    /// <summary>Fails the test with the reason when namespaces cannot be made (reached only on CI, where the
    /// attribute does not skip).</summary>
    public static void EnsureUsable()
    {
        if (Unusable is { } reason)
            throw new InvalidOperationException(
                $"CI=true, so this test does not skip, but network namespaces cannot be made: {reason} " +
                "(.ci/run installs iptables, iproute2 and nginx; the test must run as root)");
    }

    private static string? FindProblem()
    {
        if (!OperatingSystem.IsLinux()) return "not Linux";
        if (!Environment.IsPrivilegedProcess) return $"not running as root (user {Environment.UserName})";
        var missing = new[] { "ip", "iptables" }.Where(tool => Find(tool) is null).ToList();
        if (NginxSetup.FindExecutable() is null) missing.Add("nginx");
        if (missing.Count > 0) return $"{string.Join(", ", missing)} not found (apt-get install iproute2 iptables nginx)";
        try
        {
            var probe = $"{PartitionNames.Prefix}probe-{Environment.ProcessId}";
            var added = HostCommand.Try(Ip, "netns", "add", probe);
            if (added.ExitCode != 0) return $"`ip netns add` failed: {added.Error.Trim()}";
            HostCommand.Try(Ip, "netns", "del", probe);
            return null;
        }
        catch (Exception e)
        {
            return $"`ip netns add` could not run: {e.Message}";
        }
    }

    private static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(ExtraDirectories)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
}
