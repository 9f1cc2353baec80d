using System.Text.Json;
using System.Text.Json.Nodes;
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

    /// <summary>What is remembered of a finished run: its fingerprint, not its request, and its outputs as UTF-8 JSON.
    /// Outputs are often pieces of the parsed request (echo returns its inputs), and such a piece keeps the whole
    /// request document alive; as bytes, a stored run is one small array the GC need not trace for the whole TTL.
    /// A replay is rare; re-parsing then is cheap.</summary>
    private sealed class StoredRun
    {
        private readonly RunResult _result;
        private readonly byte[]? _outputs;

        public StoredRun(UInt128 fingerprint, RunResult result)
        {
            Fingerprint = fingerprint;
            _outputs = result.Outputs is { } outputs ? JsonSerializer.SerializeToUtf8Bytes(outputs) : null;
            _result = result with { Outputs = null };
        }

        public UInt128 Fingerprint { get; }

        /// <summary>The stored result with its outputs parsed again: a fresh object for each caller.</summary>
        public RunResult Replay() => _outputs is null ? _result : _result with { Outputs = JsonNode.Parse(_outputs)!.AsObject() };
    }

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
