using System.Text.Json;

namespace Jarvis.Cluster.Tests.Partition;

/// <summary>One run outcome line of an executor's JSON log (category <c>RunOutcomeLog</c>, its properties under
/// <c>State</c>), placed in time by when the test received it: the run occupied
/// [<see cref="StartedAt"/>, <see cref="EndedAt"/>] on that executor, give or take the log's batching.</summary>
internal sealed record RunRecord(string Executor, char Site, string NodeRunId, string State, string ErrorCode, double DurationMs,
    TimeSpan ArrivedAt)
{
    private const string Category = "Jarvis.Api.Observability.RunOutcomeLog";

    public TimeSpan EndedAt => ArrivedAt;

    public TimeSpan StartedAt => ArrivedAt - TimeSpan.FromMilliseconds(DurationMs);

    public static IEnumerable<RunRecord> From(NamespacedExecutor executor) =>
        executor.StandardOutput.Select(line => TryParse(executor, line)).OfType<RunRecord>();

    private static RunRecord? TryParse(NamespacedExecutor executor, StampedLine line)
    {
        if (!line.Text.StartsWith('{') || !line.Text.Contains(Category, StringComparison.Ordinal)) return null;
        try
        {
            using var document = JsonDocument.Parse(line.Text);
            var root = document.RootElement;
            if (root.GetProperty("Category").GetString() != Category) return null;
            var state = root.GetProperty("State");
            return new RunRecord(executor.Name, executor.Site.Letter, state.GetProperty("NodeRunId").GetString()!,
                state.GetProperty("State").GetString()!, state.GetProperty("ErrorCode").GetString()!,
                state.GetProperty("DurationMs").GetDouble(), line.ArrivedAt);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"{executor}: a run outcome line the test cannot read (has the JSON log format changed?): {line}", e);
        }
    }

    public override string ToString() =>
        $"{NodeRunId} {State} ({ErrorCode}) on {Executor} from {StartedAt.TotalSeconds:0.000} s to {EndedAt.TotalSeconds:0.000} s";
}
