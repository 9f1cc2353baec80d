using Jarvis.Actors.Supervision;
using Jarvis.Actors.Tests.Support;

namespace Jarvis.Actors.Tests.Supervision;

public sealed class ExpiringLruCacheTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);
    private readonly ManualClock _clock = new();

    [Fact]
    public void Setting_beyond_capacity_evicts_the_least_recently_used_entry()
    {
        var cache = new ExpiringLruCache<int>(capacity: 2, Ttl, _clock);
        cache.Set("a", 1);
        cache.Set("b", 2);
        Assert.True(cache.TryGet("a", out _)); // "b" is now the least recently used

        cache.Set("c", 3);

        Assert.Equal(2, cache.Count);
        Assert.False(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("a", out var a));
        Assert.Equal(1, a);
        Assert.True(cache.TryGet("c", out var c));
        Assert.Equal(3, c);
    }

    [Fact]
    public void Overwriting_a_key_replaces_its_value_without_growing_the_cache()
    {
        var cache = new ExpiringLruCache<int>(capacity: 2, Ttl, _clock);
        cache.Set("a", 1);
        cache.Set("b", 2);

        cache.Set("a", 10);

        Assert.Equal(2, cache.Count);
        Assert.True(cache.TryGet("a", out var a));
        Assert.Equal(10, a);
        Assert.True(cache.TryGet("b", out _));
    }

    [Fact]
    public void Entry_expires_exactly_ttl_after_it_was_set()
    {
        var cache = new ExpiringLruCache<string>(capacity: 10, Ttl, _clock);
        cache.Set("a", "value");

        _clock.Advance(Ttl - TimeSpan.FromTicks(1));
        Assert.True(cache.TryGet("a", out var value));
        Assert.Equal("value", value);

        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.False(cache.TryGet("a", out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Reading_an_entry_does_not_extend_its_life_but_setting_it_again_does()
    {
        var cache = new ExpiringLruCache<int>(capacity: 10, Ttl, _clock);
        cache.Set("read", 1);
        cache.Set("reset", 1);

        _clock.Advance(TimeSpan.FromMinutes(4));
        Assert.True(cache.TryGet("read", out _));
        cache.Set("reset", 2);
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.False(cache.TryGet("read", out _));
        Assert.True(cache.TryGet("reset", out var reset));
        Assert.Equal(2, reset);
    }

    [Fact]
    public void Purge_drops_expired_entries_and_keeps_live_ones()
    {
        var cache = new ExpiringLruCache<int>(capacity: 10, Ttl, _clock);
        cache.Set("old-1", 1);
        cache.Set("old-2", 2);
        _clock.Advance(TimeSpan.FromMinutes(3));
        cache.Set("young", 3);
        _clock.Advance(TimeSpan.FromMinutes(2));

        cache.PurgeExpired();

        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet("young", out _));
    }

    [Fact]
    public void Remove_forgets_an_entry()
    {
        var cache = new ExpiringLruCache<int>(capacity: 10, Ttl, _clock);
        cache.Set("a", 1);

        Assert.True(cache.Remove("a"));

        Assert.False(cache.TryGet("a", out _));
        Assert.False(cache.Remove("a"));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Zero_ttl_stores_nothing()
    {
        var cache = new ExpiringLruCache<int>(capacity: 10, TimeSpan.Zero, _clock);

        cache.Set("a", 1);

        Assert.Equal(0, cache.Count);
        Assert.False(cache.TryGet("a", out _));
    }

    [Fact]
    public void Capacity_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExpiringLruCache<int>(capacity: 0, Ttl, _clock));
    }

    [Fact]
    public void Setting_beyond_the_byte_bound_evicts_least_recently_used_entries_until_it_fits()
    {
        var cache = new ExpiringLruCache<int>(capacity: 100, Ttl, _clock, maxBytes: 100);
        cache.Set("a", 1, bytes: 40);
        cache.Set("b", 2, bytes: 40);
        Assert.True(cache.TryGet("a", out _)); // "b" is now the least recently used

        cache.Set("c", 3, bytes: 50);

        Assert.Equal(90, cache.Bytes);
        Assert.False(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("a", out _));
        Assert.True(cache.TryGet("c", out _));
    }

    [Fact]
    public void An_entry_larger_than_the_byte_bound_is_not_kept_and_drops_the_older_value_of_its_key()
    {
        var cache = new ExpiringLruCache<int>(capacity: 100, Ttl, _clock, maxBytes: 100);
        cache.Set("a", 1, bytes: 10);
        cache.Set("b", 2, bytes: 10);

        cache.Set("a", 3, bytes: 101);

        Assert.False(cache.TryGet("a", out _));
        Assert.True(cache.TryGet("b", out _)); // nothing else was pushed out for it
        Assert.Equal(10, cache.Bytes);
    }

    [Fact]
    public void Bytes_are_given_back_when_entries_are_replaced_removed_or_expire()
    {
        var cache = new ExpiringLruCache<int>(capacity: 100, Ttl, _clock, maxBytes: 1000);
        cache.Set("a", 1, bytes: 100);
        cache.Set("a", 2, bytes: 30);
        cache.Set("b", 3, bytes: 50);
        Assert.Equal(80, cache.Bytes);

        cache.Remove("b");
        Assert.Equal(30, cache.Bytes);
        _clock.Advance(Ttl);
        cache.PurgeExpired();
        Assert.Equal(0, cache.Bytes);
    }
}
