namespace Jarvis.Cluster.Tests.Partition;

/// <summary>The names one run of the partition test gives its namespaces and interfaces: a fixed prefix (so that a
/// later run can find what a crashed one left behind) and a short random suffix (so that two runs never share one).
/// Interface names stay within Linux's 15 characters.</summary>
internal sealed class PartitionNames
{
    public const string Prefix = "jpt-";

    public PartitionNames()
    {
        Suffix = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 3)); // 6 hex characters
    }

    public string Suffix { get; }

    /// <summary>The balancer's namespace, which holds the bridge.</summary>
    public string BalancerNamespace => $"{Prefix}{Suffix}-lb";

    public string ExecutorNamespace(char executor) => $"{Prefix}{Suffix}-{char.ToLowerInvariant(executor)}";

    /// <summary>"jpt" + suffix + "br": 11 characters.</summary>
    public string Bridge => $"jpt{Suffix}br";

    /// <summary>The balancer-side end of an executor's veth (its own end is <c>eth0</c> in its namespace): 10 characters.</summary>
    public string BridgePort(char executor) => $"jpt{Suffix}{char.ToLowerInvariant(executor)}";
}
