using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Jarvis.Actors.Sharding;

namespace Jarvis.Cluster.Tests.Sharding;

/// <summary>A gateway trusts a shard's home, and skips the ack, only from that shard's own ack since the membership
/// last changed; the census only tells which shards live on an unreachable node.</summary>
public sealed class ShardHomesTests
{
    private static readonly Address Self = new("akka.tcp", "jarvis", "127.0.0.1", 4001);
    private static readonly Address Other = new("akka.tcp", "jarvis", "127.0.0.1", 4002);

    [Fact]
    public void An_acknowledged_home_is_trusted_until_the_membership_changes()
    {
        var homes = new ShardHomes();
        Assert.Null(homes.ConfirmedHomeOf("7"));

        homes.Homed("7", Other);
        Assert.Equal(Other, homes.ConfirmedHomeOf("7"));
        Assert.Null(homes.ConfirmedHomeOf("8"));

        homes.MembershipChanged();
        Assert.Null(homes.ConfirmedHomeOf("7"));

        homes.Homed("7", Self);
        Assert.Equal(Self, homes.ConfirmedHomeOf("7"));
    }

    [Fact]
    public void A_node_removed_takes_its_homes_with_it()
    {
        var homes = new ShardHomes();
        homes.Homed("7", Other);
        homes.Unreachable(Other);
        Assert.Equal(Other, homes.UnreachableHomeOf("7"));

        homes.Removed(Other);
        Assert.Null(homes.ConfirmedHomeOf("7"));
        Assert.Null(homes.UnreachableHomeOf("7"));
    }

    [Fact]
    public void A_home_from_the_census_is_not_trusted_but_refuses_runs_while_its_node_is_unreachable()
    {
        var homes = new ShardHomes();
        homes.Learn(Census((Other, ["3"])), Self);
        Assert.Null(homes.ConfirmedHomeOf("3"));
        Assert.Null(homes.UnreachableHomeOf("3"));

        homes.Unreachable(Other);
        Assert.Equal(Other, homes.UnreachableHomeOf("3"));
        homes.Reachable(Other);
        Assert.Null(homes.UnreachableHomeOf("3"));
    }

    [Fact]
    public void A_census_that_agrees_keeps_an_acknowledged_home_trusted_and_one_that_disagrees_does_not()
    {
        var homes = new ShardHomes();
        homes.Homed("3", Other);
        homes.Homed("4", Other);
        homes.Learn(Census((Other, ["3"]), (Self, ["4"])), Self);

        Assert.Equal(Other, homes.ConfirmedHomeOf("3"));
        Assert.Null(homes.ConfirmedHomeOf("4"));
    }

    private static ClusterShardingStats Census(params (Address Region, string[] Shards)[] regions) =>
        new(regions.ToImmutableDictionary(r => r.Region,
            r => new ShardRegionStats(r.Shards.ToImmutableDictionary(shard => shard, _ => 1), ImmutableHashSet<string>.Empty)));
}
