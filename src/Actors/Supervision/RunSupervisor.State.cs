using Akka.Actor;
using Jarvis.Actors.Runs;

namespace Jarvis.Actors.Supervision;

public sealed partial class RunSupervisor
{
    /// <summary>A run that is queued or running. Mutable, but only ever touched by the supervisor.</summary>
    private sealed class ActiveRun(RunRequest request, DateTimeOffset admittedAt, long admission)
    {
        public RunRequest Request { get; } = request;
        /// <summary>Its admission number, unique per supervisor: orders runs whose timers are due at the same millisecond.</summary>
        public long Admission { get; } = admission;
        public DateTimeOffset AdmittedAt { get; } = admittedAt;
        public List<RunWaiter> Waiters { get; } = new(1);
        public DateTimeOffset? StartedAt { get; set; }
        public TimeSpan Deadline { get; set; }
        public IActorRef? Child { get; set; }
        public LinkedListNode<ActiveRun>? QueueNode { get; set; }
        /// <summary>When its queue wait or deadline ends (<see cref="Environment.TickCount64"/>); 0 when no timer is set.</summary>
        public long DueAt { get; set; }
        public System.Diagnostics.Activity? Activity { get; set; }
    }

    private sealed class TimersTick : INoSerializationVerificationNeeded
    {
        public static readonly TimersTick Instance = new();
    }

    /// <summary>Earliest due first; the admission number tells apart runs due at the same millisecond.</summary>
    private sealed class DueOrder : IComparer<ActiveRun>
    {
        public static readonly DueOrder Instance = new();

        public int Compare(ActiveRun? x, ActiveRun? y) =>
            x!.DueAt != y!.DueAt ? x.DueAt.CompareTo(y.DueAt) : x.Admission.CompareTo(y.Admission);
    }

    /// <summary>Stops a failing run actor and tells the supervisor which one failed.</summary>
    private sealed class StopAndReportStrategy(IActorRef supervisor) : OneForOneStrategy(_ => Directive.Stop)
    {
        protected override Directive Handle(IActorRef child, Exception exception)
        {
            supervisor.Tell(new RunCrashed(child));
            return Directive.Stop;
        }
    }

    private sealed record RunCrashed(IActorRef RunActor) : INoSerializationVerificationNeeded;

    private sealed class DrainGraceOver : INoSerializationVerificationNeeded
    {
        public static readonly DrainGraceOver Instance = new();
    }

    private sealed class PurgeExpired : INoSerializationVerificationNeeded
    {
        public static readonly PurgeExpired Instance = new();
    }
}
