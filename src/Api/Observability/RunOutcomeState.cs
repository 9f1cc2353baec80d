using System.Collections;
using System.Globalization;
using Jarvis.Actors.Diagnostics;

namespace Jarvis.Api.Observability;

/// <summary>The structured state of a run outcome log entry: each field a property (JSON logs show them under
/// <c>State</c>), and the message rendered from <see cref="Template"/>, as a LoggerMessage would. Its text fields
/// are the <see cref="LogText"/> forms of the outcome's: cut and escaped once here, on the log's writer thread rather
/// than the supervisor's, they are what every format shows, message and properties alike.</summary>
public readonly struct RunOutcomeState(RunOutcome outcome) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly RunOutcome _outcome = outcome with
    {
        RunId = LogText.Id(outcome.RunId),
        NodeRunId = LogText.Id(outcome.NodeRunId),
        NodeTypeId = LogText.Id(outcome.NodeTypeId),
        State = LogText.Id(outcome.State),
        ErrorCode = LogText.Id(outcome.ErrorCode),
        Caller = LogText.Id(outcome.Caller),
    };

    public const string Template =
        "run {RunId} node_run {NodeRunId} {NodeTypeId} {State} ({ErrorCode}) in {DurationMs:0.0} ms, queued {QueuedMs:0.0} ms, caller {Caller}";

    /// <summary>The log category and event of run outcome lines, whichever way they are written.</summary>
    public static readonly string Category = typeof(RunOutcomeLog).FullName!;
    public static readonly EventId Event = new(1, "LogOutcome");

    public static readonly Func<RunOutcomeState, Exception?, string> Format = (state, _) => state.ToString();

    public int Count => 9;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("RunId", _outcome.RunId),
        1 => new("NodeRunId", _outcome.NodeRunId),
        2 => new("NodeTypeId", _outcome.NodeTypeId),
        3 => new("State", _outcome.State),
        4 => new("ErrorCode", _outcome.ErrorCode),
        5 => new("DurationMs", _outcome.DurationMs),
        6 => new("QueuedMs", _outcome.QueuedMs),
        7 => new("Caller", _outcome.Caller),
        8 => new("{OriginalFormat}", Template),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"run {_outcome.RunId} node_run {_outcome.NodeRunId} {_outcome.NodeTypeId} {_outcome.State} ({_outcome.ErrorCode}) in {_outcome.DurationMs:0.0} ms, queued {_outcome.QueuedMs:0.0} ms, caller {_outcome.Caller}");
}
