namespace Jarvis.Cluster.Tests.Partition;

/// <summary>What the checks found wrong, per numbered assertion of the partition test. All checks run and all
/// findings are reported together, so one failed run shows every broken promise, not only the first.</summary>
internal sealed class Findings
{
    private const int ShownPerAssertion = 12;

    public static readonly IReadOnlyDictionary<int, string> Assertions = new Dictionary<int, string>
    {
        [1] = "every request is answered within its deadline + 5 s",
        [2] = "every answer is a 200 AtomicExecuteResult or a non-2xx ErrorEnvelope (spec schemas)",
        [3] = "every refusal is retryable",
        [4] = "no node_run_id runs on two executors at overlapping times",
        [5] = "an acknowledged cancel is honoured",
        [6] = "the cut-off node downs itself: one warning, at once 503 or refused, exit code 3 within 15 s",
        [7] = "the restarted node rejoins and serves",
    };

    private readonly SortedDictionary<int, List<string>> _found = [];

    public bool Any => _found.Count > 0;

    public void Add(int assertion, string message)
    {
        if (!Assertions.ContainsKey(assertion)) throw new ArgumentOutOfRangeException(nameof(assertion));
        if (!_found.TryGetValue(assertion, out var list)) _found[assertion] = list = [];
        list.Add(message);
    }

    public int Count(int assertion) => _found.TryGetValue(assertion, out var list) ? list.Count : 0;

    public string Summary() => string.Join(", ", Assertions.Keys.Select(n => $"{n}: {(Count(n) == 0 ? "ok" : $"{Count(n)} FAILED")}"));

    public override string ToString() => string.Join("\n", _found.Select(pair =>
        $"assertion {pair.Key} ({Assertions[pair.Key]}): {pair.Value.Count} failure(s)\n  " +
        string.Join("\n  ", pair.Value.Take(ShownPerAssertion)) +
        (pair.Value.Count > ShownPerAssertion ? $"\n  … and {pair.Value.Count - ShownPerAssertion} more" : "")));
}
