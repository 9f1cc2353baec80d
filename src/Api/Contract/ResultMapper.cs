using System.Globalization;
using Jarvis.Actors.Runs;

namespace Jarvis.Api.Contract;

internal static class ResultMapper
{
    public static AtomicExecuteResult ToWire(RunResult result) => new(
        result.NodeRunId,
        RunStates.Name(result.State),
        result.Outputs,
        Timestamp(result.StartedAt),
        Timestamp(result.EndedAt),
        result.Error is { } e ? new ErrorBody(e.Code, e.Message, e.Details, e.Retryable) : null);

    /// <summary>RFC 3339 in UTC with microseconds, as the reference writes them.</summary>
    public static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
