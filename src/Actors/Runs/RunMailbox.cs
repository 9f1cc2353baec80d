using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace Jarvis.Actors.Runs;

/// <summary>
/// The mailbox of a run actor, which gets two or three messages in its life. The default mailbox's queue starts
/// with a 32-slot segment (about 1 KiB), the largest single allocation of a run in the allocation profile; this
/// one starts with two slots. A lock is fine: the only writers are the supervisor, the registry and the run's
/// own handler task.
/// </summary>
public sealed class RunMailbox : MailboxType, IProducesMessageQueue<RunMailbox.Queue>
{
    public const string Id = "jarvis-run-mailbox";

    /// <summary>Defines <see cref="Id"/> in <paramref name="system"/>'s configuration (as a fallback, so a
    /// configuration file may still override it).</summary>
    public static void Register(ActorSystem system) =>
        system.Settings.InjectTopLevelFallback(ConfigurationFactory.ParseString(
            $"{Id}.mailbox-type = \"{typeof(RunMailbox).FullName}, {typeof(RunMailbox).Assembly.GetName().Name}\""));

    public RunMailbox(Settings settings, Config config) : base(settings, config) { }

    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new Queue();

    public sealed class Queue : IMessageQueue, IUnboundedMessageQueueSemantics
    {
        private readonly Queue<Envelope> _envelopes = new(2);

        public bool HasMessages
        {
            get { lock (_envelopes) return _envelopes.Count > 0; }
        }

        public int Count
        {
            get { lock (_envelopes) return _envelopes.Count; }
        }

        public void Enqueue(IActorRef receiver, Envelope envelope)
        {
            lock (_envelopes) _envelopes.Enqueue(envelope);
        }

        public bool TryDequeue(out Envelope envelope)
        {
            lock (_envelopes) return _envelopes.TryDequeue(out envelope);
        }

        public void CleanUp(IActorRef owner, IMessageQueue deadletters)
        {
            while (TryDequeue(out var envelope)) deadletters.Enqueue(owner, envelope);
        }
    }
}
