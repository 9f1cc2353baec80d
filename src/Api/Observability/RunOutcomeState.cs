using System.Collections;
using System.Globalization;

namespace Jarvis.Api.Observability;

/// <summary>The structured state of a run outcome log entry: each field a property (JSON logs show them under
/// <c>State</c>), and the message rendered from <see cref="Template"/>, as a LoggerMessage would.</summary>
public readonly struct RunOutcomeState(RunOutcome outcome) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string Template =
        "run {RunId} node_run {NodeRunId} {NodeTypeId} {State} ({ErrorCode}) in {DurationMs:0.0} ms, queued {QueuedMs:0.0} ms, caller {Caller}";

    /// <summary>The log category and event of run outcome lines, whichever way they are written.</summary>
    public static readonly string Category = typeof(RunOutcomeLog).FullName!;
    public static readonly EventId Event = new(1, "LogOutcome");

    public static readonly Func<RunOutcomeState, Exception?, string> Format = (state, _) => state.ToString();

    public int Count => 9;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("RunId", outcome.RunId),
        1 => new("NodeRunId", outcome.NodeRunId),
        2 => new("NodeTypeId", outcome.NodeTypeId),
        3 => new("State", outcome.State),
        4 => new("ErrorCode", outcome.ErrorCode),
        5 => new("DurationMs", outcome.DurationMs),
        6 => new("QueuedMs", outcome.QueuedMs),
        7 => new("Caller", outcome.Caller),
        8 => new("{OriginalFormat}", Template),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"run {outcome.RunId} node_run {outcome.NodeRunId} {outcome.NodeTypeId} {outcome.State} ({outcome.ErrorCode}) in {outcome.DurationMs:0.0} ms, queued {outcome.QueuedMs:0.0} ms, caller {outcome.Caller}");
}
