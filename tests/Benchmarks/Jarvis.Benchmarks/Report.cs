using System.Text;

namespace Jarvis.Benchmarks;

public sealed record ReportRow(string Id, string Measurement, string Result, string Target = "—", string Verdict = "—");

/// <summary>One table (rows 1–7, or the cluster rows) with the machine state while its phases ran.</summary>
public sealed class ReportSection
{
    private readonly List<ReportRow> _rows = [];
    private readonly List<string> _failures = [];
    private MachineLoad? _load;

    public bool Ran { get; private set; }
    public DateTimeOffset Started { get; private set; }
    public string LoadAverageAtStart { get; private set; } = "?";
    public string LoadAverageAtEnd { get; private set; } = "?";
    /// <summary>Other processes' share of the machine's CPU capacity while the section's phases ran (0..1).</summary>
    public double OthersCpuShare { get; private set; } = double.NaN;
    public bool AnyPhaseFailed => _failures.Count > 0;
    /// <summary>More "- name: value" lines under the machine state, e.g. the load balancer of the cluster rows.</summary>
    public List<string> Setup { get; } = [];
    /// <summary>Rows in the order they were added instead of by id: the cluster rows are added in reading order, and
    /// their ids (setup names such as S3 or C3, ratios such as C3/S3) do not sort into it.</summary>
    public bool KeepOrder { get; init; }
    /// <summary>Where the targets come from, in the table's heading.</summary>
    public string TargetHeading { get; init; } = "target (DESIGN §8)";

    public void Begin()
    {
        Ran = true;
        Started = DateTimeOffset.UtcNow;
        LoadAverageAtStart = MachineLoad.LoadAverage;
        _load = new MachineLoad();
    }

    /// <summary>Call after every process of the section has been stopped (reaped), so their CPU counts as the benchmark's own.</summary>
    public void End()
    {
        LoadAverageAtEnd = MachineLoad.LoadAverage;
        OthersCpuShare = _load?.OthersShare() ?? double.NaN;
    }

    /// <summary>A 1-minute load average at the start of at least half the cores: other work was running or had just run
    /// (the benchmark's own processes are not running yet then).</summary>
    public bool LoadWasHigh =>
        double.TryParse(LoadAverageAtStart.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out var load1) &&
        load1 >= MachineInfo.Cores / 2.0;

    /// <summary>Other processes took 10 % or more of the CPU while the phases ran.</summary>
    public bool OthersWereBusy => OthersCpuShare >= 0.10;

    public void Add(ReportRow row) => _rows.Add(row);

    public void Failed(string id, string phase, string reason)
    {
        _failures.Add($"{phase}: {reason}");
        _rows.Add(new ReportRow(id, phase, $"could not run: {FirstLine(reason)}", Verdict: "**not run**"));
    }

    public string Table()
    {
        var text = new StringBuilder();
        text.AppendLine($"| # | measurement | result | {TargetHeading} | verdict |");
        text.AppendLine("|---|---|---|---|---|");
        var rows = KeepOrder ? _rows : _rows.OrderBy(r => r.Id, StringComparer.Ordinal).ToList(); // phases run in another order than they are read
        foreach (var row in rows)
            text.AppendLine($"| {row.Id} | {row.Measurement} | {row.Result} | {row.Target} | {row.Verdict} |");
        return text.ToString();
    }

    public void AppendMachineState(StringBuilder text, BenchOptions options, string mode)
    {
        text.AppendLine($"- date: {Started:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine($"- commit: {options.Commit}");
        text.AppendLine($"- machine: {MachineInfo.Cores} cores ({MachineInfo.CpuModel}), {MachineInfo.MemoryGiB} RAM; {MachineInfo.Os}");
        text.AppendLine($"- mode: {mode}");
        text.AppendLine($"- other processes on the machine: load average {LoadAverageAtStart} at the start" +
                        (LoadWasHigh ? $" (**high** for {MachineInfo.Cores} cores: the machine was shared with other work)" : "") +
                        $", {LoadAverageAtEnd} at the end (the benchmark's own load included); they used " +
                        $"{(double.IsNaN(OthersCpuShare) ? "?" : $"{OthersCpuShare * 100:0}%")} of its CPU capacity during the run" +
                        (OthersWereBusy ? " (**busy**: figures are lower and noisier than on a quiet machine)" : ""));
        foreach (var line in Setup) text.AppendLine($"- {line}");
        if (options.Note is { Length: > 0 } note) text.AppendLine($"- note: {note}");
    }

    public void AppendFailures(StringBuilder text)
    {
        if (_failures.Count == 0) return;
        text.AppendLine();
        text.AppendLine("Phases that could not run:");
        foreach (var failure in _failures) text.AppendLine($"- {failure.ReplaceLineEndings(" ")}");
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Replace("|", "\\|");
}

/// <summary>The tables of a run, with what they were measured on; printed and written to RESULTS.md. A run of one
/// section (<c>--only</c>) keeps the other section of the file as it was.</summary>
public sealed class Report(BenchOptions options)
{
    public const string ClusterHeading = "## Cluster";
    /// <summary>A hand-written section (comparisons between runs of different commits), kept at the end of the file
    /// by every run.</summary>
    public const string HistoryHeading = "## Before / after";

    public ReportSection Single { get; } = new();
    public ReportSection Cluster { get; } = new() { KeepOrder = true, TargetHeading = "target (issue 18)" };
    public bool AnyPhaseFailed => Single.AnyPhaseFailed || Cluster.AnyPhaseFailed;

    /// <summary>The sections this run measured.</summary>
    public string Markdown() => (Single.Ran ? SingleMarkdown() : "") + (Single.Ran && Cluster.Ran ? "\n" : "") + (Cluster.Ran ? ClusterMarkdown() : "");

    /// <summary>The new RESULTS.md: this run's sections, the one it did not measure taken from <paramref name="existing"/>
    /// unchanged, and the existing before/after section.</summary>
    public string Merge(string? existing)
    {
        var (measured, history) = SplitAt(existing ?? "", HistoryHeading);
        var merged = MergeMeasured(measured);
        return history.Length == 0 ? merged : merged + "\n" + history.TrimEnd() + "\n";
    }

    private string MergeMeasured(string existing)
    {
        var (oldSingle, oldCluster) = SplitAt(existing, ClusterHeading);
        var single = Single.Ran ? SingleMarkdown()
            : oldSingle.Length > 0 ? oldSingle.TrimEnd() + "\n"
            : "# Benchmark results\n\nNo single-instance results yet: run `tests/Benchmarks/run.sh`.\n";
        var cluster = Cluster.Ran ? ClusterMarkdown() : oldCluster.Length > 0 ? oldCluster.TrimEnd() + "\n" : "";
        return cluster.Length == 0 ? single : single + "\n" + cluster;
    }

    /// <summary>The text before the <paramref name="heading"/> line, and that line with everything after it.</summary>
    private static (string Before, string From) SplitAt(string text, string heading)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var at = Array.FindIndex(lines, l => l.TrimEnd() == heading);
        return at < 0 ? (text, "") : (string.Join('\n', lines[..at]), string.Join('\n', lines[at..]));
    }

    private string Command(string only) => $"tests/Benchmarks/run.sh{(options.Quick ? " --quick" : "")}{(options.RunSingle && options.RunCluster ? "" : $" --only {only}")}";

    private string SingleMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("# Benchmark results");
        text.AppendLine();
        text.AppendLine($"Generated by `{Command("single")}` (do not edit by hand; run it again).");
        text.AppendLine();
        Single.AppendMachineState(text, options,
            $"{(options.Quick ? "quick (smoke check, short phases)" : "full")}; wrk, the servers and the driver share the same cores");
        text.AppendLine();
        text.Append(Single.Table());
        text.AppendLine();
        text.AppendLine("How each row is measured: see [README.md](README.md).");
        Single.AppendFailures(text);
        return text.ToString();
    }

    private string ClusterMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(ClusterHeading);
        text.AppendLine();
        text.AppendLine($"Generated by `{Command("cluster")}` (do not edit by hand; run it again). Reported, never asserted; " +
                       "the echo rows are medians over interleaved rounds.");
        text.AppendLine();
        Cluster.AppendMachineState(text, options,
            $"{(options.Quick ? "quick (smoke check, short phases)" : "full")}; wrk, nginx, every executor and the driver share the same cores");
        text.AppendLine();
        text.Append(Cluster.Table());
        text.AppendLine();
        text.AppendLine("How each row is measured: see [README.md](README.md#cluster-rows).");
        Cluster.AppendFailures(text);
        return text.ToString();
    }
}
