using Jarvis.Actors.Runs;

namespace Jarvis.Actors.Supervision;

/// <summary>Messages addressed to one run; in cluster mode the id is the shard entity id.</summary>
public interface IWithNodeRunId
{
    string NodeRunId { get; }
}

/// <summary>Execute (or join, or replay) a run; answered with an <see cref="ExecuteReply"/>.</summary>
public sealed record ExecuteRun(RunRequest Request) : IWithNodeRunId
{
    public string NodeRunId => Request.NodeRunId;
}

/// <summary>Cancel a run, known or not; answered with <see cref="CancelAccepted"/>.</summary>
public sealed record CancelRun(string NodeRunId) : IWithNodeRunId;

public sealed class CancelAccepted
{
    public static readonly CancelAccepted Instance = new();
    private CancelAccepted() { }
}

public abstract record ExecuteReply;

public sealed record RunAnswered(RunResult Result) : ExecuteReply;

public enum RefusalReason { Overloaded, ShuttingDown, Conflict }

public sealed record RunRefused(RefusalReason Reason, string Message) : ExecuteReply;

/// <summary>Stop admitting, let running handlers finish for <paramref name="Grace"/>, then cancel the rest;
/// answered with <see cref="Drained"/> once no run is left.</summary>
public sealed record BeginDrain(TimeSpan Grace);

public sealed class Drained
{
    public static readonly Drained Instance = new();
    private Drained() { }
}

public sealed class GetLoad
{
    public static readonly GetLoad Instance = new();
    private GetLoad() { }
}

public sealed record Load(int Running, int Queued, bool Draining);
