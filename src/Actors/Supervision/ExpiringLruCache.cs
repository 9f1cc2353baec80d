namespace Jarvis.Actors.Supervision;

/// <summary>A bounded least-recently-used map whose entries also expire a fixed time after they were set.
/// Not thread-safe: it lives inside one actor.</summary>
public sealed class ExpiringLruCache<TValue>
{
    private readonly record struct Entry(string Key, TValue Value, DateTimeOffset ExpiresAt);

    private readonly Dictionary<string, LinkedListNode<Entry>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new(); // most recently used first
    private readonly int _capacity;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _clock;

    public ExpiringLruCache(int capacity, TimeSpan ttl, TimeProvider clock)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
        _ttl = ttl;
        _clock = clock;
    }

    public int Count => _map.Count;

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

    public void Set(string key, TValue value)
    {
        if (_ttl <= TimeSpan.Zero) return;
        if (_map.TryGetValue(key, out var existing)) Remove(existing);
        _map[key] = _recency.AddFirst(new Entry(key, value, _clock.GetUtcNow() + _ttl));
        if (_map.Count > _capacity) Remove(_recency.Last!);
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
    }
}
