using System.Diagnostics;

namespace Jarvis.Cluster.Tests.Partition;

/// <summary>
/// The test network, made of network namespaces only: a balancer namespace holding a bridge (198.18.0.1/24, a range
/// reserved for benchmarks, so never a real destination) and one namespace per executor, each joined to the bridge by
/// a veth created from inside the balancer namespace with its far end moved straight into the executor's namespace.
/// Nothing is added to the root namespace (checked: its links and addresses are compared before and after).
/// Disposing kills whatever still runs inside and deletes every namespace, which takes their interfaces and iptables
/// rules with them; creating first removes what a crashed earlier run left behind under the same prefix.
/// </summary>
internal sealed class PartitionNetwork : IAsyncDisposable
{
    public const string BalancerAddress = "198.18.0.1";

    public static readonly IReadOnlyList<ExecutorSite> Sites =
        [new('A', "198.18.0.11"), new('B', "198.18.0.12"), new('C', "198.18.0.13")];

    private static readonly TimeSpan EmptyNamespaceBound = TimeSpan.FromSeconds(15);

    private readonly List<string> _namespaces = [];

    private PartitionNetwork(PartitionNames names) => Names = names;

    public PartitionNames Names { get; }

    public string BalancerNamespace => Names.BalancerNamespace;

    public string NamespaceOf(ExecutorSite site) => Names.ExecutorNamespace(site.Letter);

    public static async Task<PartitionNetwork> CreateAsync(PartitionNames names)
    {
        await RemoveLeftoversAsync();
        var rootBefore = await RootNamespaceStateAsync();
        var network = new PartitionNetwork(names);
        try
        {
            await network.BuildAsync();
            var rootAfter = await RootNamespaceStateAsync();
            if (rootAfter != rootBefore)
                throw new InvalidOperationException(
                    $"building the test network changed the root namespace:\nbefore:\n{rootBefore}\nafter:\n{rootAfter}");
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    private async Task BuildAsync()
    {
        var lb = BalancerNamespace;
        await AddNamespaceAsync(lb);
        await Ip("-n", lb, "link", "add", Names.Bridge, "type", "bridge");
        await Ip("-n", lb, "addr", "add", $"{BalancerAddress}/24", "dev", Names.Bridge);
        await Ip("-n", lb, "link", "set", Names.Bridge, "up");
        foreach (var site in Sites)
        {
            var own = NamespaceOf(site);
            var port = Names.BridgePort(site.Letter);
            await AddNamespaceAsync(own);
            // made inside the balancer namespace, the far end created directly in the executor's: no veth ever exists
            // in the root namespace, not even for a moment
            await Ip("netns", "exec", lb, NetworkNamespaceHost.Ip, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", own);
            await Ip("-n", lb, "link", "set", port, "master", Names.Bridge);
            await Ip("-n", lb, "link", "set", port, "up");
            await Ip("-n", own, "addr", "add", $"{site.Address}/24", "dev", "eth0");
            await Ip("-n", own, "link", "set", "eth0", "up");
        }
    }

    private async Task AddNamespaceAsync(string name)
    {
        await Ip("netns", "add", name);
        _namespaces.Add(name);
        await Ip("-n", name, "link", "set", "lo", "up");
    }

    /// <summary>Cuts <paramref name="site"/> off from <paramref name="peers"/> inside its own namespace (both
    /// directions); everything else, the balancer included, still reaches it.</summary>
    public async Task CutAsync(ExecutorSite site, IEnumerable<ExecutorSite> peers)
    {
        foreach (var peer in peers)
        {
            await Iptables(site, "-A", "INPUT", "-s", peer.Address, "-j", "DROP");
            await Iptables(site, "-A", "OUTPUT", "-d", peer.Address, "-j", "DROP");
        }
    }

    /// <summary>Removes every rule <see cref="CutAsync"/> added.</summary>
    public async Task HealAsync(ExecutorSite site)
    {
        await Iptables(site, "-F", "INPUT");
        await Iptables(site, "-F", "OUTPUT");
    }

    /// <summary>The filter rules in <paramref name="site"/>'s namespace (<c>iptables -S</c>), for checks and messages.</summary>
    public Task<string> RulesAsync(ExecutorSite site) =>
        HostCommand.RunAsync(NetworkNamespaceHost.Ip, "netns", "exec", NamespaceOf(site), NetworkNamespaceHost.Iptables, "-S");

    /// <summary>The processes still running inside any of this network's namespaces.</summary>
    public async Task<IReadOnlyList<int>> ProcessesInsideAsync()
    {
        var pids = new List<int>();
        foreach (var name in _namespaces) pids.AddRange(await PidsAsync(name));
        return pids;
    }

    private Task Iptables(ExecutorSite site, params string[] args) =>
        Ip(["netns", "exec", NamespaceOf(site), NetworkNamespaceHost.Iptables, .. args]);

    private static Task<string> Ip(params string[] args) => HostCommand.RunAsync(NetworkNamespaceHost.Ip, args);

    public async ValueTask DisposeAsync()
    {
        var problems = new List<string>();
        foreach (var name in Enumerable.Reverse(_namespaces))
        {
            try
            {
                await RemoveNamespaceAsync(name);
            }
            catch (Exception e)
            {
                problems.Add($"{name}: {e.Message}");
            }
        }
        _namespaces.Clear();
        if (problems.Count > 0)
            throw new InvalidOperationException($"the test network was not removed completely: {string.Join("; ", problems)}");
    }

    /// <summary>Namespaces under <see cref="PartitionNames.Prefix"/> left by an earlier run that crashed before its
    /// clean-up (their processes included).</summary>
    public static async Task RemoveLeftoversAsync()
    {
        foreach (var name in await OurNamespacesAsync()) await RemoveNamespaceAsync(name);
    }

    public static async Task<IReadOnlyList<string>> OurNamespacesAsync()
    {
        var listing = await Ip("netns", "list");
        // lines look like "jpt-1a2b3c-lb (id: 3)"
        return listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ')[0])
            .Where(name => name.StartsWith(PartitionNames.Prefix, StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>Kills what still runs inside (by process id: only the test's own processes live there), waits until
    /// the namespace is empty, then deletes it; the kernel frees it, its interfaces and its rules with its last user.</summary>
    private static async Task RemoveNamespaceAsync(string name)
    {
        var clock = Stopwatch.StartNew();
        while (await PidsAsync(name) is { Count: > 0 } pids)
        {
            foreach (var pid in pids)
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill(entireProcessTree: true);
                }
                catch (ArgumentException) { }          // already gone
                catch (InvalidOperationException) { }  // exited meanwhile
            }
            if (clock.Elapsed > EmptyNamespaceBound)
                throw new TimeoutException($"processes {string.Join(", ", pids)} still run in {name} after {EmptyNamespaceBound.TotalSeconds:0} s");
            await Task.Delay(50);
        }
        await Ip("netns", "del", name);
    }

    private static async Task<IReadOnlyList<int>> PidsAsync(string name)
    {
        var outcome = await HostCommand.TryAsync(NetworkNamespaceHost.Ip, "netns", "pids", name);
        if (outcome.ExitCode != 0) return []; // already deleted
        return outcome.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToList();
    }

    /// <summary>The root namespace's link names, addresses and routes (not link states or flags, which may change on
    /// their own).</summary>
    private static async Task<string> RootNamespaceStateAsync()
    {
        static IEnumerable<string[]> Fields(string listing) => listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var links = Fields(await Ip("-br", "link", "show")).Select(fields => fields[0]);
        var addresses = Fields(await Ip("-br", "addr", "show")).Select(fields => string.Join(' ', fields.Take(1).Concat(fields.Skip(2))));
        var routes = await Ip("route", "show");
        return string.Join('\n', links.Concat(addresses).Append(routes.Trim()));
    }
}
