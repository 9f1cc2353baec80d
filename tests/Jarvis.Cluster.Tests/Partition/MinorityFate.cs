using System.Text.Json;

namespace Jarvis.Cluster.Tests.Partition;

/// <summary>What became of the cut-off node's first process: the warning it logged when it learned it was downed
/// (the lines holding <see cref="DownedText"/>), and how and when it ended.</summary>
internal sealed record MinorityFate(NamespacedExecutor Process, IReadOnlyList<StampedLine> DownedLines, TimeSpan? ExitedAt,
    int? ExitCode, bool KilledByTest)
{
    public const string DownedText = "exits with code 3";
    public const int DownedExitCode = 3;

    public TimeSpan? DownedAt => DownedLines.Count > 0 ? DownedLines[0].ArrivedAt : null;

    /// <summary>The log level of the first downed line (JSON log: <c>LogLevel</c>).</summary>
    public string? DownedLevel
    {
        get
        {
            if (DownedLines.Count == 0) return null;
            try
            {
                using var line = JsonDocument.Parse(DownedLines[0].Text);
                return line.RootElement.TryGetProperty("LogLevel", out var level) ? level.GetString() : null;
            }
            catch (JsonException)
            {
                return "(not a JSON line)";
            }
        }
    }

    public static MinorityFate Of(NamespacedExecutor process)
    {
        var downed = process.StandardOutput.Where(l => l.Text.Contains(DownedText, StringComparison.Ordinal)).ToList();
        var exited = process.HasExited;
        return new MinorityFate(process, downed, exited ? process.ExitedAt : null, exited ? process.ExitCode : null, process.KilledByTest);
    }
}
