using System.Text;

namespace Jarvis.Cluster.Tests.Partition;

/// <summary>The short report the partition test prints: throughput per phase, C's fate, nginx's retries, and how
/// every kind of request was answered.</summary>
internal static class PartitionReport
{
    public static string Render(PartitionTimeline timeline, IReadOnlyList<Exchange> exchanges, MinorityFate fate,
        IReadOnlyList<BalancerLogEntry> balancerLog, IReadOnlyList<string> balancerErrors, IReadOnlyList<RunRecord> runs, Findings findings)
    {
        var text = new StringBuilder();
        var cut = timeline.CutAt;
        string Relative(TimeSpan? reading) => reading is { } r ? $"{(r - cut).TotalSeconds:+0.00;-0.00} s" : "never";

        text.AppendLine("== partition report (times relative to the cut) ==");
        var load = exchanges.Where(e => e.Route == "lb" && e.Kind != Exchange.DirectExecute).ToList();
        text.AppendLine($"succeeded answers/s: before {Rate(load, timeline.LoadStart, cut)}, " +
            $"during the partition {Rate(load, cut, timeline.HealAt)}, after the heal {Rate(load, timeline.HealAt, timeline.LoadEnd)}");
        text.AppendLine("per second from the cut (s:succeeded answers/requests sent/slowest of them in s): " + string.Join(" ", PerSecond(load, cut, timeline.LoadEnd)));
        var refused = load.Where(e => e.Status is not (>= 200 and < 300)).ToList();
        text.AppendLine($"refused or unanswered (non-2xx or lost): before {Refused(load, timeline.LoadStart, cut)}, " +
            $"during the partition {Refused(load, cut, timeline.HealAt)}, after the heal {Refused(load, timeline.HealAt, TimeSpan.MaxValue)}" +
            (refused.Count == 0 ? "" : $" (sent from {Relative(refused.Min(e => e.SentAt))} to {Relative(refused.Max(e => e.SentAt))})"));
        text.AppendLine($"C downed (warning line): {Relative(fate.DownedAt)} ({fate.DownedLines.Count} line(s)); " +
            $"C exited: {Relative(fate.ExitedAt)}, exit code {(fate.ExitCode?.ToString() ?? "-")}{(fate.KilledByTest ? " (killed by the test)" : "")}");
        text.AppendLine($"heal at {Relative(timeline.HealAt)}; C restarted at {Relative(timeline.RestartAt)}, " +
            $"3 members up again at {Relative(timeline.RejoinedAt)}");
        var retried = balancerLog.Where(e => e.RetriedElsewhere).ToList();
        var cAddress = PartitionScenario.Minority.HttpEndpoint;
        text.AppendLine($"nginx retried {retried.Count} of {balancerLog.Count} requests on another executor " +
            $"({retried.Count(e => e.Upstreams.Contains(cAddress))} of them had tried C first or on the way; final statuses: " +
            $"{string.Join(", ", retried.GroupBy(e => e.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} × {g.Count()}"))})");
        text.AppendLine($"nginx balancing as {SampleBalancerSettings.RelativePath}: {NamespacedBalancer.Sample}");
        text.AppendLine($"nginx statuses: {string.Join(", ", balancerLog.GroupBy(e => e.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} × {g.Count()}"))}");
        if (balancerErrors.Count > 0)
            text.AppendLine($"nginx error.log: {string.Join("; ", balancerErrors.Take(6))}");
        text.AppendLine($"run log lines: {runs.Count} ({string.Join(", ", runs.GroupBy(r => r.Executor).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}); " +
            $"ids run on more than one executor: {runs.GroupBy(r => r.NodeRunId).Count(g => g.Select(r => r.Site).Distinct().Count() > 1)}");
        var acknowledgedFirst = exchanges.Where(e => e is { Kind: Exchange.Cancel, Status: 204 })
            .Count(cancel => exchanges.Any(e => e.Kind == Exchange.Sleep && e.NodeRunId == cancel.NodeRunId && e.AnsweredAt > cancel.AnsweredAt));
        text.AppendLine($"cancels acknowledged (204) before their execute was answered: {acknowledgedFirst}");
        text.AppendLine("answers per kind of request:");
        foreach (var kind in exchanges.GroupBy(e => e.Kind).OrderBy(g => g.Key))
            text.AppendLine($"  {kind.Key,-9} {kind.Count(),5}: " + string.Join(", ",
                kind.GroupBy(e => e.AnswerKind).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} × {g.Count()}")));
        text.AppendLine($"assertions: {findings.Summary()}");
        return text.ToString();
    }

    private static IEnumerable<string> PerSecond(IReadOnlyList<Exchange> exchanges, TimeSpan cut, TimeSpan end)
    {
        for (var second = -3; cut + TimeSpan.FromSeconds(second) < end; second++)
        {
            var from = cut + TimeSpan.FromSeconds(second);
            var to = from + TimeSpan.FromSeconds(1);
            var sent = exchanges.Where(e => e.SentAt >= from && e.SentAt < to && e.AnsweredAt is not null).ToList();
            var slowest = sent.Count == 0 ? 0 : sent.Max(e => (e.AnsweredAt!.Value - e.SentAt).TotalSeconds);
            yield return $"{second:+0;-0}:{exchanges.Count(e => e.State == "succeeded" && e.AnsweredAt >= from && e.AnsweredAt < to)}" +
                         $"/{sent.Count}/{slowest:0.#}";
        }
    }

    private static int Refused(IReadOnlyList<Exchange> exchanges, TimeSpan from, TimeSpan to) =>
        exchanges.Count(e => e.Status is not (>= 200 and < 300) && e.SentAt >= from && e.SentAt < to);

    private static string Rate(IReadOnlyList<Exchange> exchanges, TimeSpan from, TimeSpan to)
    {
        var succeeded = exchanges.Count(e => e.State == "succeeded" && e.AnsweredAt >= from && e.AnsweredAt < to);
        return $"{succeeded / (to - from).TotalSeconds:0.0}";
    }
}
