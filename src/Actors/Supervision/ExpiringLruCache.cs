namespace Jarvis.Actors.Supervision;

/// <summary>A least-recently-used map bounded in entries and in (estimated) bytes, whose entries also expire a fixed
/// time after they were set. Not thread-safe: it lives inside one actor, or behind a lock.</summary>
public sealed class ExpiringLruCache<TValue>
{
    private readonly record struct Entry(string Key, TValue Value, DateTimeOffset ExpiresAt, long Bytes);

    private readonly Dictionary<string, LinkedListNode<Entry>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new(); // most recently used first
    private readonly int _capacity;
    private readonly long _maxBytes;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _clock;

    public ExpiringLruCache(int capacity, TimeSpan ttl, TimeProvider clock, long maxBytes = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        _capacity = capacity;
        _maxBytes = maxBytes;
        _ttl = ttl;
        _clock = clock;
    }

    public int Count => _map.Count;

    /// <summary>The bytes of the entries held, as their setters estimated them.</summary>
    public long Bytes { get; private set; }

    public bool TryGet(string key, out TValue value)
    {
        value = default!;
        if (!_map.TryGetValue(key, out var node)) return false;
        if (node.Value.ExpiresAt <= _clock.GetUtcNow())
        {
            Remove(node);
            return false;
        }
        _recency.Remove(node);
        _recency.AddFirst(node);
        value = node.Value.Value;
        return true;
    }

    /// <summary>Sets <paramref name="key"/>, evicting the least recently used entries while over either bound; an
    /// entry larger than the whole byte bound is not kept (and any older value of its key is dropped).</summary>
    public void Set(string key, TValue value, long bytes = 0)
    {
        if (_map.TryGetValue(key, out var existing)) Remove(existing);
        if (_ttl <= TimeSpan.Zero || bytes > _maxBytes) return;
        _map[key] = _recency.AddFirst(new Entry(key, value, _clock.GetUtcNow() + _ttl, bytes));
        Bytes += bytes;
        while (_map.Count > _capacity || Bytes > _maxBytes) Remove(_recency.Last!);
    }

    public bool Remove(string key)
    {
        if (!_map.TryGetValue(key, out var node)) return false;
        Remove(node);
        return true;
    }

    /// <summary>Drops expired entries from the least recently used end, so idle memory is given back.</summary>
    public void PurgeExpired()
    {
        var now = _clock.GetUtcNow();
        while (_recency.Last is { } oldest && oldest.Value.ExpiresAt <= now) Remove(oldest);
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _map.Remove(node.Value.Key);
        Bytes -= node.Value.Bytes;
    }
}
