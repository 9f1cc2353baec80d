using Akka.Actor;

namespace Jarvis.Actors.Sharding;

/// <summary>
/// A gateway's memory of which other node answered (or was running, when it was lost) the node_run_ids it routed
/// lately, so that an execute of the same id after that node left the cluster is recognised as running it again:
/// the result the node remembered left with it. A fixed table of <see cref="Slots"/> entries indexed by the id's
/// hash, each overwritten by the next id that lands on it: it costs the same memory (about 256 KiB) and a few array
/// writes per run however busy the node is, and may forget an id early, so what it counts is a lower bound. Used on
/// the gateway's thread only.
/// </summary>
public sealed class LostOwnerMemory(TimeSpan resultTtl)
{
    public const int Slots = 16_384;
    private const int MaxOwners = 1_024;

    private readonly int[] _hashes = new int[Slots];
    private readonly int[] _owners = new int[Slots]; // index + 1 into _ownerAddresses; 0: empty
    private readonly long[] _until = new long[Slots]; // UTC ticks after which the entry no longer counts
    private readonly List<Address> _ownerAddresses = [];
    private readonly Dictionary<Address, int> _ownerIndex = new();
    private readonly HashSet<int> _lost = [];

    /// <summary>Another node answered <paramref name="nodeRunId"/> with a result it remembers, or was lost running it.</summary>
    public void Record(string nodeRunId, Address owner, DateTimeOffset now)
    {
        var hash = nodeRunId.GetHashCode();
        var slot = hash & (Slots - 1);
        _hashes[slot] = hash;
        _owners[slot] = IndexOf(owner) + 1;
        _until[slot] = (now + resultTtl).UtcTicks;
    }

    /// <summary><paramref name="owner"/> left the cluster (downed, or gone): what it remembered is gone.</summary>
    public void OwnerLost(Address owner)
    {
        if (_ownerIndex.TryGetValue(owner, out var index)) _lost.Add(index);
    }

    /// <summary>True, once per recorded id, when an execute of <paramref name="nodeRunId"/> will run again because the
    /// node that had its result (within the result TTL) has left the cluster.</summary>
    public bool TakeRerun(string nodeRunId, DateTimeOffset now)
    {
        var hash = nodeRunId.GetHashCode();
        var slot = hash & (Slots - 1);
        var owner = _owners[slot];
        if (owner == 0 || _hashes[slot] != hash || !_lost.Contains(owner - 1)) return false;
        _owners[slot] = 0;
        return now.UtcTicks <= _until[slot];
    }

    private int IndexOf(Address owner)
    {
        if (_ownerIndex.TryGetValue(owner, out var index)) return index;
        if (_ownerAddresses.Count == MaxOwners) Forget(); // nodes that came and went with new ports: start afresh
        _ownerIndex[owner] = _ownerAddresses.Count;
        _ownerAddresses.Add(owner);
        return _ownerAddresses.Count - 1;
    }

    private void Forget()
    {
        Array.Clear(_owners);
        _ownerAddresses.Clear();
        _ownerIndex.Clear();
        _lost.Clear();
    }
}
