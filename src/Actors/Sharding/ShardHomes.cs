using Akka.Actor;
using Akka.Cluster.Sharding;

namespace Jarvis.Actors.Sharding;

/// <summary>
/// A gateway's view of where each run shard lives and which nodes are unreachable now. Used on the gateway's thread only.
/// <para>A home is <b>confirmed</b> when that shard's entity acknowledged one of this gateway's executes since the
/// membership last changed. While the members stay the same no shard moves (allocations only follow joins and
/// departures), so an execute for a shard with a confirmed home needs no ack of its own: the gateway counts it as run
/// there, and answers it at once if that node is lost. Any membership change makes every home unconfirmed again, and
/// the next execute of each shard asks its entity for an ack (<see cref="RoutedExecute.AckWanted"/>).</para>
/// <para>Homes are also learned, unconfirmed, from a periodic census of every region's shards
/// (<see cref="Learn(ClusterShardingStats, Address)"/>), so that an execute whose shard lives on an unreachable node
/// is refused at once (retryable) rather than held for the whole ack timeout: nobody can take it until the cluster downs
/// that node and moves the shard, and behind a balancer the retry may reach the owner by another way. A region that
/// does not answer the census keeps its last known shards.</para>
/// </summary>
public sealed class ShardHomes
{
    private readonly Dictionary<string, Home> _homes = new(StringComparer.Ordinal);
    private readonly HashSet<Address> _unreachable = [];
    private int _membership;

    /// <summary>The shard's entity on <paramref name="home"/> acknowledged an execute.</summary>
    public void Homed(string shard, Address home) => _homes[shard] = new Home(home, _membership);

    /// <summary>The node the shard is known to live on since the membership last changed, or null.</summary>
    public Address? ConfirmedHomeOf(string shard) =>
        _homes.TryGetValue(shard, out var home) && home.Membership == _membership ? home.Address : null;

    /// <summary>A member joined, is leaving or left: shards may move.</summary>
    public void MembershipChanged() => _membership++;

    /// <summary>The census: each answering region's shards. <paramref name="self"/> names this node's own region.</summary>
    public void Learn(ClusterShardingStats census, Address self)
    {
        foreach (var (region, stats) in census.Regions)
        {
            var address = region.HasLocalScope ? self : region;
            foreach (var shard in stats.Stats.Keys)
                if (!_homes.TryGetValue(shard, out var known) || known.Address != address) _homes[shard] = new Home(address, Membership: -1);
        }
    }

    public void Unreachable(Address node) => _unreachable.Add(node);

    public void Reachable(Address node) => _unreachable.Remove(node);

    /// <summary>The node left the cluster: its shards will be allocated afresh.</summary>
    public void Removed(Address node)
    {
        _unreachable.Remove(node);
        foreach (var shard in _homes.Where(h => h.Value.Address == node).Select(h => h.Key).ToList()) _homes.Remove(shard);
        MembershipChanged();
    }

    /// <summary>The unreachable node the shard lives on, or null.</summary>
    public Address? UnreachableHomeOf(string shard) =>
        _unreachable.Count > 0 && _homes.TryGetValue(shard, out var home) && _unreachable.Contains(home.Address) ? home.Address : null;

    /// <param name="Membership">The membership generation it was confirmed in; −1 for a home from the census.</param>
    private readonly record struct Home(Address Address, int Membership);
}
