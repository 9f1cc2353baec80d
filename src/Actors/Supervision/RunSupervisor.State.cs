using Akka.Actor;
using Jarvis.Actors.Runs;

namespace Jarvis.Actors.Supervision;

public sealed partial class RunSupervisor
{
    /// <summary>A run that is queued or running. Mutable, but only ever touched by the supervisor.</summary>
    private sealed class ActiveRun(RunRequest request, DateTimeOffset admittedAt)
    {
        public RunRequest Request { get; } = request;
        public DateTimeOffset AdmittedAt { get; } = admittedAt;
        public List<RunWaiter> Waiters { get; } = new(1);
        public DateTimeOffset? StartedAt { get; set; }
        public TimeSpan Deadline { get; set; }
        public IActorRef? Child { get; set; }
        public LinkedListNode<ActiveRun>? QueueNode { get; set; }
        public ICancelable? Timer { get; set; }
        public System.Diagnostics.Activity? Activity { get; set; }
    }

    /// <summary>What is remembered of a finished run: its fingerprint, not its request, and its result (whose outputs
    /// are UTF-8 JSON, holding nothing of the request).</summary>
    private sealed record StoredRun(UInt128 Fingerprint, RunResult Result);

    private sealed record DeadlineReached(ActiveRun Run) : INoSerializationVerificationNeeded;

    private sealed record QueueWaitExpired(ActiveRun Run) : INoSerializationVerificationNeeded;

    private sealed class DrainGraceOver : INoSerializationVerificationNeeded
    {
        public static readonly DrainGraceOver Instance = new();
    }

    private sealed class PurgeExpired : INoSerializationVerificationNeeded
    {
        public static readonly PurgeExpired Instance = new();
    }
}
