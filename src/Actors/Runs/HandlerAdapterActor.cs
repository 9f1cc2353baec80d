using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Event;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Actors.Runs;

/// <summary>Runs a plain async <see cref="NodeHandler"/> behind the node actor protocol.
/// Stopping the actor cancels the handler; a handler that ignores that is handed to the <see cref="OrphanTracker"/>.</summary>
public sealed class HandlerAdapterActor : UntypedActor
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly NodeHandler _handlerFunc;
    private readonly OrphanTracker _orphans;
    private Task? _handler;

    public HandlerAdapterActor(NodeHandler handler, OrphanTracker orphans)
    {
        _handlerFunc = handler;
        _orphans = orphans;
    }

    // A switch rather than ReceiveActor's handlers: those are rebuilt for every instance, i.e. for every run.
    protected override void OnReceive(object message)
    {
        if (message is not RunNode run)
        {
            Unhandled(message);
            return;
        }
        if (_handler is not null) return;
        // Task.Run: a handler that blocks before its first await must not hold the actor's thread.
        var token = _cancellation.Token;
        var handler = _handlerFunc;
        var task = Task.Run(() => handler(run.Inputs, run.Context, token).AsTask(), token);
        _handler = task;
        task.PipeTo(Sender, Self,
            outputs => token.IsCancellationRequested ? AbandonedOutcome.Instance
                : outputs is null ? new NodeFailed(new InvalidOperationException("the handler returned null instead of a JSON object"))
                : new NodeSucceeded(outputs),
            e => token.IsCancellationRequested ? AbandonedOutcome.Instance : new NodeFailed(e));
    }

    /// <summary>What an abandoned handler finally produced: nobody waits for it any more, so it is not
    /// worth a dead-letter log line per canceled or timed-out run.</summary>
    private sealed class AbandonedOutcome : IDeadLetterSuppression, INoSerializationVerificationNeeded
    {
        public static readonly AbandonedOutcome Instance = new();
    }

    public static Props Props(NodeHandler handler, OrphanTracker orphans) =>
        ActorFactory<HandlerAdapterActor>.Props(() => new HandlerAdapterActor(handler, orphans));

    protected override void PostStop()
    {
        _cancellation.Cancel();
        if (_handler is not null) _orphans.Track(_handler);
    }
}
