namespace Jarvis.Cluster.Tests.Partition;

/// <summary>Assertions 4 and 5: what the executors' run logs and the cancels' answers say about the runs.</summary>
internal static class RunChecks
{
    /// <summary>Run lines are written in batches, a little after the run ended: two runs closer than this are not
    /// called overlapping.</summary>
    public static readonly TimeSpan LogSlack = TimeSpan.FromMilliseconds(250);

    /// <summary>Assertion 4: one node_run_id never ran on two executors at the same time.</summary>
    public static void CheckNoDoubleRuns(IReadOnlyList<RunRecord> runs, Findings findings)
    {
        foreach (var sameId in runs.GroupBy(r => r.NodeRunId).Where(g => g.Select(r => r.Site).Distinct().Count() > 1))
        {
            var list = sameId.ToList();
            for (var i = 0; i < list.Count; i++)
            for (var j = i + 1; j < list.Count; j++)
            {
                var (a, b) = (list[i], list[j]);
                if (a.Site == b.Site) continue;
                var overlap = Min(a.EndedAt, b.EndedAt) - Max(a.StartedAt, b.StartedAt);
                if (overlap > LogSlack)
                    findings.Add(4, $"{sameId.Key} ran on two executors at once ({overlap.TotalMilliseconds:0} ms overlap): {a}; {b}");
            }
        }
    }

    /// <summary>Assertion 5: a cancel answered 204 before its execute was answered means the execute did not succeed.</summary>
    public static void CheckCancelsHonoured(IReadOnlyList<Exchange> exchanges, Findings findings)
    {
        var sleeps = exchanges.Where(e => e.Kind == Exchange.Sleep).ToDictionary(e => e.NodeRunId);
        foreach (var cancel in exchanges.Where(e => e is { Kind: Exchange.Cancel, Status: 204 }))
        {
            var execute = sleeps[cancel.NodeRunId];
            if (execute.AnsweredAt > cancel.AnsweredAt && execute.State == "succeeded")
                findings.Add(5, $"cancel acknowledged at {cancel.AnsweredAt?.TotalSeconds:0.000} s, yet its execute succeeded: {execute} (cancel {cancel})");
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
