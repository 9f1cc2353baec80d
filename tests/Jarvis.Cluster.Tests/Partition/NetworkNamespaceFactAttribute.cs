namespace Jarvis.Cluster.Tests.Partition;

/// <summary>A test that needs Linux network namespaces (root, <c>ip</c>, <c>iptables</c>, <c>nginx</c>, and an
/// <c>ip netns add</c> that works). Where they cannot be made it is skipped with the reason, except on CI
/// (<c>CI=true</c>), where a missing prerequisite must not pass unnoticed: there the test runs and fails with the
/// reason (<see cref="NetworkNamespaceHost.EnsureUsable"/>).</summary>
public sealed class NetworkNamespaceFactAttribute : FactAttribute
{
    public NetworkNamespaceFactAttribute()
    {
        if (NetworkNamespaceHost.RunningOnCi) return;
        if (NetworkNamespaceHost.Unusable is { } reason)
            Skip = $"network namespaces cannot be made here: {reason}"; // the runner prints it
    }
}
