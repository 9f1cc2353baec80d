using Akka.Actor;

namespace Jarvis.Actors.Supervision;

/// <summary>
/// The sender of one request to the run actors, awaited by the HTTP layer: a local <see cref="IActorRef"/> that
/// completes <see cref="Task"/> with the first <typeparamref name="TReply"/> told to it. It replaces Ask on the
/// per-run path: no temporary actor registered under a fresh path, no scheduler entry for the timeout. Every
/// instance shares one path and none is registered, so it cannot be reached from another node: use it only where
/// the reply comes from this node (an execute: in cluster mode the gateway keeps the sender and answers it itself);
/// a message forwarded across nodes with its sender (a cancel) needs Ask. A caller bounds its wait with
/// <see cref="WaitAsync"/>, so a lost reply is a timeout, never a hang.
/// </summary>
public sealed class ReplyPromise<TReply> : MinimalActorRef where TReply : class
{
    // Continuations run on the thread pool, never on the actor thread that answers.
    private readonly TaskCompletionSource<TReply> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ReplyPromises _home;

    internal ReplyPromise(ReplyPromises home) => _home = home;

    public override ActorPath Path => _home.Path;

    public override IActorRefProvider Provider => _home.Provider;

    /// <summary>The reply; <see cref="TimeoutException"/> when none came within <paramref name="timeout"/>,
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellation"/> fired first.</summary>
    public Task<TReply> WaitAsync(TimeSpan timeout, CancellationToken cancellation) => _reply.Task.WaitAsync(timeout, cancellation);

    protected override void TellInternal(object message, IActorRef sender)
    {
        if (message is TReply reply) _reply.TrySetResult(reply);
    }
}

/// <summary>Makes <see cref="ReplyPromise{TReply}"/>s for one actor system.</summary>
public sealed class ReplyPromises(ActorSystem system)
{
    internal IActorRefProvider Provider { get; } = ((ExtendedActorSystem)system).Provider;

    internal ActorPath Path { get; } = ((ExtendedActorSystem)system).Provider.TempPath();

    /// <summary>Tells <paramref name="message"/> to <paramref name="target"/> and returns the promise of its reply.</summary>
    public ReplyPromise<TReply> Send<TReply>(IActorRef target, object message) where TReply : class
    {
        var promise = new ReplyPromise<TReply>(this);
        target.Tell(message, promise);
        return promise;
    }
}
