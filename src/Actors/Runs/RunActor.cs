using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Event;
using Jarvis.Actors.Diagnostics;
using Jarvis.Actors.Registry;
using Jarvis.NodePacks.Schema;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Actors.Runs;

/// <summary>Sent to the supervisor, with the run actor as the sender, when its run has an answer; the supervisor then
/// stops the run actor. One that arrives after the supervisor stopped (shutdown) is nobody's concern.</summary>
public sealed record RunFinished(RunResult Result) : INoSerializationVerificationNeeded, IDeadLetterSuppression;

/// <summary>Sent by a run actor to its parent when the registry resolved its node type, so that later runs of that
/// type can be started with it (<c>known</c>) instead of asking the registry again: installed nodes never change.</summary>
public sealed record NodeTypeLearned(string NodeTypeId, NodeRegistration Registration) : INoSerializationVerificationNeeded;

/// <summary>
/// One run: resolves the node through the registry, checks the inputs, runs the node, checks the outputs and
/// reports a <see cref="RunFinished"/> to its parent. A plain handler runs in this actor (on the thread pool, its
/// outcome piped back); an actor-native node gets a child actor. Deadline and cancel are the parent's: it answers
/// the caller itself and stops this actor, which cancels the handler's token (or stops the node's actor).
/// A handler that ignores its token is handed to the <see cref="OrphanTracker"/>.
/// </summary>
public sealed class RunActor : UntypedActor
{
    private readonly RunRequest _request;
    private readonly IActorRef _registry;
    private readonly DateTimeOffset _startedAt;
    private readonly DateTimeOffset _deadline;
    private readonly IServiceProvider? _services;
    private readonly NodeRegistration? _known;
    private readonly ActorSystem _system = Context.System;
    private readonly IActorRef _self = Context.Self;
    private ILoggingAdapter? _log;
    /// <summary>A result carries at most this many schema errors: it may be stored and sent to many callers.</summary>
    private const int MaxReportedErrors = 100;

    private NodeRegistration? _node;
    private IActorRef? _nodeActor;
    private CancellationTokenSource? _cancellation;
    private Task? _handler;
    private bool _finished;

    public RunActor(RunRequest request, IActorRef registry, DateTimeOffset startedAt, DateTimeOffset deadline,
        IServiceProvider? services, NodeRegistration? known = null)
    {
        _known = known;
        _request = request;
        _registry = registry;
        _startedAt = startedAt;
        _deadline = deadline;
        _services = services;
    }

    // A switch rather than ReceiveActor's handlers: those are rebuilt for every instance, i.e. for every run.
    protected override void OnReceive(object message)
    {
        if (_finished) return;
        switch (message)
        {
            case NodeTypeResolved resolved:
                Context.Parent.Tell(new NodeTypeLearned(_request.NodeTypeId, resolved.Registration));
                Start(resolved.Registration);
                break;
            case NodeTypeUnknown unknown:
                Finish(Fail(RunErrorCodes.UnknownNodeType, $"node type '{unknown.NodeTypeId}' is not installed on this executor"));
                break;
            // an actor-native node's answer
            case NodeSucceeded succeeded:
                Finish(CheckOutputs(succeeded.Outputs));
                break;
            case NodeFailed failed:
                Finish(HandlerFailed(failed.Cause));
                break;
            case Terminated terminated when terminated.ActorRef.Equals(_nodeActor):
                Finish(Fail(RunErrorCodes.HandlerError, "the node's handler stopped without an answer"));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <param name="known">The node's registration when the supervisor already learned it; null asks the registry.</param>
    public static Props Props(RunRequest request, IActorRef registry, DateTimeOffset startedAt, DateTimeOffset deadline,
        IServiceProvider? services = null, NodeRegistration? known = null) =>
        ActorFactory<RunActor>.Props(() => new RunActor(request, registry, startedAt, deadline, services, known))
            .WithMailbox(RunMailbox.Id);

    /// <summary>An actor-native node that throws is stopped, never restarted: its run has failed.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    protected override void PreStart()
    {
        if (_known is not null) Start(_known);
        else _registry.Tell(new ResolveNodeType(_request.NodeTypeId));
    }

    private void Start(NodeRegistration node)
    {
        _node = node;
        if (!node.InputValidator.IsValid(_request.Inputs))
        {
            var errors = new List<SchemaError>();
            node.InputValidator.Validate(_request.Inputs, errors);
            Finish(Fail(RunErrorCodes.InvalidInputs, "the inputs do not match the node's input_schema", ErrorList(errors, "$.inputs")));
            return;
        }
        if (node.ActorProps is { } actorProps)
        {
            _nodeActor = Context.Watch(Context.ActorOf(actorProps, "node"));
            _nodeActor.Tell(new RunNode(_request.Inputs, NodeContextFor()));
        }
        else RunHandler(node.Definition.Handler!);
    }

    /// <summary>Runs a plain handler on the thread pool and checks and serializes its outputs there too; the
    /// finished result goes straight to the supervisor (with this actor as the sender), which stops this actor.</summary>
    private void RunHandler(NodeHandler handler)
    {
        _cancellation = new CancellationTokenSource();
        var token = _cancellation.Token;
        var context = NodeContextFor();
        // Task.Run: a handler that blocks before its first await must not hold the actor's thread.
        var task = Task.Run(() => RunToResultAsync(handler, context, token), token);
        _handler = task;
        task.PipeTo(Context.Parent, Self, result => new RunFinished(result),
            _ => new RunFinished(Fail(RunErrorCodes.HandlerError, "the run stopped unexpectedly; see the executor's logs for details")));
    }

    /// <summary>Touches only what does not change once the run started (request, node, times, logger), so it may
    /// run off the actor's thread.</summary>
    private async Task<RunResult> RunToResultAsync(NodeHandler handler, NodeContext context, CancellationToken token)
    {
        JsonObject? outputs;
        try
        {
            outputs = await handler(_request.Inputs, context, token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return token.IsCancellationRequested ? Abandoned : HandlerFailed(e);
        }
        if (token.IsCancellationRequested) return Abandoned;
        return outputs is null
            ? HandlerFailed(new InvalidOperationException("the handler returned null instead of a JSON object"))
            : CheckOutputs(outputs);
    }

    /// <summary>The result of a handler that finished after its run was answered (deadline, cancel, shutdown):
    /// the supervisor no longer knows its sender and drops it.</summary>
    private RunResult Abandoned => Fail(RunErrorCodes.Canceled, "the run was abandoned");

    protected override void PostStop()
    {
        if (_cancellation is null) return;
        _cancellation.Cancel();
        if (_handler is not null) _node!.Orphans.Track(_handler);
    }

    private NodeContext NodeContextFor() => new()
    {
        RunId = _request.RunId,
        NodeRunId = _request.NodeRunId,
        NodeTypeId = _request.NodeTypeId,
        Deadline = _deadline,
        Caller = _request.Caller,
        Trace = _request.Trace,
        Budgets = _request.Budgets,
        Services = _services,
    };

    private RunResult CheckOutputs(JsonObject outputs)
    {
        if (_node!.OutputValidator.IsValid(outputs))
            return RunResult.Succeeded(_request.NodeRunId, _startedAt, Utf8JsonObject.From(outputs));
        var errors = new List<SchemaError>();
        _node.OutputValidator.Validate(outputs, errors);
        // Property names in the paths may be the caller's (a handler echoing its inputs).
        Log.Warning("node {0} returned outputs violating its output_schema: {1}", LogText.Id(_request.NodeTypeId),
            LogText.Message(string.Join("; ", errors.Select(e => $"{e.Path} {e.Message}"))));
        return Fail(RunErrorCodes.InvalidOutputs, "the handler's outputs do not match the node's output_schema",
            ErrorList(errors, "$.outputs"));
    }

    /// <summary>Made on first use (a run that goes well logs nothing), and usable off the actor's thread.</summary>
    private ILoggingAdapter Log => _log ??= Logging.GetLogger(_system, _self);

    private RunResult HandlerFailed(Exception cause)
    {
        switch (cause)
        {
            case InvalidNodeInputsException invalid:
                return Fail(RunErrorCodes.InvalidInputs, invalid.Message);
            case NodeFailureException failure:
                return RunResult.Failed(_request.NodeRunId, _startedAt,
                    new RunError(failure.Code, failure.Message, failure.Retryable, failure.Details?.DeepClone().AsObject()));
        }
        Log.Error(cause, "handler of {0} failed for node_run_id {1}", LogText.Id(_request.NodeTypeId), LogText.Id(_request.NodeRunId));
        return Fail(RunErrorCodes.HandlerError, "the node's handler failed; see the executor's logs for details");
    }

    private RunResult Fail(string code, string message, JsonObject? details = null) =>
        RunResult.Failed(_request.NodeRunId, _startedAt, new RunError(code, message, Details: details));

    private static JsonObject ErrorList(List<SchemaError> errors, string root) => new()
    {
        ["errors"] = new JsonArray(errors.Take(MaxReportedErrors).Select(e => (JsonNode)new JsonObject
        {
            ["path"] = root + e.Path[1..],
            ["message"] = e.Message,
        }).ToArray()),
    };

    private void Finish(RunResult result)
    {
        _finished = true;
        Context.Parent.Tell(new RunFinished(result));
        Context.Stop(Self);
    }
}
