namespace Jarvis.Cluster.Tests.Partition;

/// <summary>Assertions 6 and 7: the cut-off node downs itself and ends cleanly, and its restart rejoins and serves.</summary>
internal static class MinorityChecks
{
    public static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(15);

    private static readonly string[] CrashMarks = ["Unhandled exception", "SIGABRT", "Aborted (core dumped)", "Fatal error"];

    public static void CheckDownedExit(MinorityFate fate, PartitionTimeline timeline, Findings findings)
    {
        var process = fate.Process;
        if (fate.DownedLines.Count == 0)
            findings.Add(6, $"{process} never logged a line with \"{MinorityFate.DownedText}\" (cut at {timeline.CutAt.TotalSeconds:0.000} s)");
        else if (fate.DownedLines.Count > 1)
            findings.Add(6, $"{process} logged \"{MinorityFate.DownedText}\" {fate.DownedLines.Count} times, not once: " +
                string.Join(" | ", fate.DownedLines));
        if (fate.DownedLines.Count > 0 && fate.DownedLevel != "Warning")
            findings.Add(6, $"the downed line is not a warning (level {fate.DownedLevel}): {fate.DownedLines[0]}");

        if (fate.KilledByTest || fate.ExitedAt is null)
            findings.Add(6, $"{process} did not exit on its own; the test killed it {PartitionScenario.ExitBoundAfterHeal.TotalSeconds:0} s after the heal");
        else
        {
            if (fate.ExitCode != MinorityFate.DownedExitCode)
                findings.Add(6, $"{process} exited with code {fate.ExitCode}, not {MinorityFate.DownedExitCode}");
            if (fate.DownedAt is { } downed && fate.ExitedAt - downed > ExitBound)
                findings.Add(6, $"{process} exited {(fate.ExitedAt - downed)?.TotalSeconds:0.0} s after its downed line, more than {ExitBound.TotalSeconds:0} s");
        }
        var output = string.Join('\n', process.StandardOutput.Select(l => l.Text)) + "\n" + process.StandardError;
        foreach (var mark in CrashMarks.Where(m => output.Contains(m, StringComparison.Ordinal)))
            findings.Add(6, $"{process} printed \"{mark}\":\n{process.OutputTail(30)}");
    }

    public static void CheckRejoined(PartitionTimeline timeline, IReadOnlyList<Exchange> exchanges, Findings findings)
    {
        if (timeline.RestartAt is null) findings.Add(7, "C was not restarted");
        if (timeline.RejoinProblem is { } problem) findings.Add(7, $"the restarted C did not rejoin: {problem}");
        var serving = exchanges.Where(e => e.Kind == Exchange.DirectExecute).ToList();
        if (timeline.RejoinedAt is not null && serving.Count == 0) findings.Add(7, "no execute was sent after the rejoin");
        foreach (var exchange in serving.Where(e => e.State != "succeeded"))
            findings.Add(7, $"an execute after the rejoin did not succeed: {exchange}");
    }
}
