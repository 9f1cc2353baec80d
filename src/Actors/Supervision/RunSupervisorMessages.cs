using Akka.Actor;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Serialization;

namespace Jarvis.Actors.Supervision;

/// <summary>Messages addressed to one run; in cluster mode the id is the shard entity id.</summary>
public interface IWithNodeRunId
{
    string NodeRunId { get; }
}

/// <summary>Execute (or join, or replay) a run; answered with an <see cref="ExecuteReply"/>.</summary>
public sealed record ExecuteRun(RunRequest Request) : IWithNodeRunId, ICrossNodeMessage
{
    public string NodeRunId => Request.NodeRunId;
}

/// <summary>Cancel a run, known or not; answered with <see cref="CancelAccepted"/>.</summary>
public sealed record CancelRun(string NodeRunId) : IWithNodeRunId, ICrossNodeMessage;

public sealed class CancelAccepted : ICrossNodeMessage
{
    public static readonly CancelAccepted Instance = new();
    private CancelAccepted() { }
}

public abstract record ExecuteReply : ICrossNodeMessage;

public sealed record RunAnswered(RunResult Result) : ExecuteReply;

/// <summary>Why an execute got no result. <see cref="Unavailable"/>: in cluster mode, the node owning the run
/// could not be reached in time.</summary>
public enum RefusalReason { Overloaded, ShuttingDown, Conflict, Unavailable }

public sealed record RunRefused(RefusalReason Reason, string Message) : ExecuteReply;

/// <summary>Stop admitting, let running handlers finish for <paramref name="Grace"/>, then cancel the rest;
/// answered with <see cref="Drained"/> once no run is left.</summary>
public sealed record BeginDrain(TimeSpan Grace) : INoSerializationVerificationNeeded;

/// <summary>The actor system is stopping under the running service (the cluster downed this node): stop every run
/// now and refuse its callers as unavailable (retryable, so they retry elsewhere), and refuse every later execute
/// the same way. Nothing is answered canceled: no caller asked for that. Sent once; no reply.</summary>
public sealed record AbandonRuns(string Reason) : INoSerializationVerificationNeeded;

public sealed class Drained : INoSerializationVerificationNeeded
{
    public static readonly Drained Instance = new();
    private Drained() { }
}

public sealed class GetLoad : INoSerializationVerificationNeeded
{
    public static readonly GetLoad Instance = new();
    private GetLoad() { }
}

public sealed record Load(int Running, int Queued, bool Draining) : INoSerializationVerificationNeeded;

/// <summary>Cluster mode: an execute handed over by the run's shard entity (the sender), to be answered to
/// <paramref name="ReplyTo"/> with <paramref name="Correlation"/>; the entity is told <see cref="RunSettled"/>
/// once that answer went out. Never leaves the node.</summary>
public sealed record HomedExecute(RunRequest Request, IActorRef ReplyTo, long Correlation) : INoSerializationVerificationNeeded;

/// <summary>Tells a run's shard entity that one execute it handed over has been answered.</summary>
public sealed class RunSettled : INoSerializationVerificationNeeded
{
    public static readonly RunSettled Instance = new();
    private RunSettled() { }
}
