using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Jarvis.Actors.Runs;

namespace Jarvis.Actors.Supervision;

/// <summary>What is remembered of a node_run_id once its run is over, or before it began.</summary>
internal abstract record Remembered;

/// <summary>A finished run: its fingerprint, not its request, and its result (whose outputs are UTF-8 JSON, holding
/// nothing of the request).</summary>
internal sealed record StoredRun(UInt128 Fingerprint, RunResult Result) : Remembered;

/// <summary>A cancel that came before any execute of its id.</summary>
internal sealed record CanceledEarly(DateTimeOffset At) : Remembered;

/// <summary>
/// The supervisor's memory of finished runs and early cancels, by node_run_id: least recently used first out, bounded
/// in entries (JARVIS_MAX_REMEMBERED_RUNS), in estimated bytes (JARVIS_MAX_REMEMBERED_BYTES) and in time
/// (JARVIS_RESULT_TTL_SECS), so no caller can grow it past the operator's budget with large outputs or long ids.
/// Not thread-safe: it lives inside the supervisor.
/// </summary>
internal sealed class RememberedRuns
{
    /// <summary>Longer ids are kept as a SHA-256 of their UTF-16 code units: an early cancel of a 60 kB id then costs
    /// what a short one does. (The result of such a run still holds its id, and is counted with it.)</summary>
    public const int LongIdChars = 128;
    /// <summary>Dictionary slot, list node, entry, records and the result's fixed fields, rounded up: measured at about
    /// 0.75 KiB per echo-sized remembered result all told.</summary>
    private const long EntryOverhead = 512;

    private readonly ExpiringLruCache<Remembered> _cache;
    private readonly long _maxResultBytes;

    public RememberedRuns(RunSupervisorSettings settings, TimeProvider clock)
    {
        _cache = new ExpiringLruCache<Remembered>(settings.MaxRememberedRuns, settings.ResultTtl, clock, settings.MaxRememberedBytes);
        _maxResultBytes = settings.MaxRememberedResultBytes;
    }

    public int Count => _cache.Count;
    public long Bytes => _cache.Bytes;

    public bool TryGet(string nodeRunId, out Remembered remembered) => _cache.TryGet(KeyOf(nodeRunId), out remembered!);

    /// <summary>Keeps a finished run's result, unless it is larger than the per-result limit: then nothing is kept
    /// for its id (a later duplicate runs again).</summary>
    public void RememberResult(string nodeRunId, UInt128 fingerprint, RunResult result)
    {
        var key = KeyOf(nodeRunId);
        var bytes = EntryOverhead + 2L * key.Length + ResultBytes(result);
        if (bytes > _maxResultBytes) _cache.Remove(key);
        else _cache.Set(key, new StoredRun(fingerprint, result), bytes);
    }

    public void RememberCancel(string nodeRunId, DateTimeOffset at)
    {
        var key = KeyOf(nodeRunId);
        _cache.Set(key, new CanceledEarly(at), EntryOverhead + 2L * key.Length);
    }

    public void PurgeExpired() => _cache.PurgeExpired();

    private static string KeyOf(string nodeRunId) => nodeRunId.Length <= LongIdChars
        ? nodeRunId
        // \u0001 cannot start a hash of a short id's own key, and hashing the code units (not UTF-8) keeps ids with
        // different lone surrogates apart.
        : "\u0001" + Convert.ToBase64String(SHA256.HashData(MemoryMarshal.AsBytes(nodeRunId.AsSpan())));

    private static long ResultBytes(RunResult result)
    {
        var bytes = 2L * result.NodeRunId.Length + (result.Outputs?.Length ?? 0);
        if (result.Error is { } error)
            bytes += 2L * (error.Code.Length + error.Message.Length) + (error.Details is { } details ? details.ToJsonString().Length * 2L : 0);
        return bytes;
    }
}
