using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Event;
using Jarvis.Actors.Registry;
using Jarvis.NodePacks.Schema;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Actors.Runs;

/// <summary>Sent by a run actor to its parent when its run has an answer; the run actor then stops.</summary>
public sealed record RunFinished(RunResult Result) : INoSerializationVerificationNeeded;

/// <summary>Sent by a run actor to its parent when the registry resolved its node type, so that later runs of that
/// type can be started with it (<c>known</c>) instead of asking the registry again: installed nodes never change.</summary>
public sealed record NodeTypeLearned(string NodeTypeId, NodeRegistration Registration) : INoSerializationVerificationNeeded;

/// <summary>
/// One run: resolves the node through the registry, checks the inputs, starts the node's actor,
/// checks the outputs and reports a <see cref="RunFinished"/> to its parent. Deadline and cancel are
/// the parent's: it answers the caller itself and stops this actor, which stops (and so cancels) the node.
/// </summary>
public sealed class RunActor : UntypedActor
{
    private readonly RunRequest _request;
    private readonly IActorRef _registry;
    private readonly DateTimeOffset _startedAt;
    private readonly DateTimeOffset _deadline;
    private readonly IServiceProvider? _services;
    private readonly NodeRegistration? _known;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    /// <summary>A result carries at most this many schema errors: it may be stored and sent to many callers.</summary>
    private const int MaxReportedErrors = 100;

    private NodeRegistration? _node;
    private IActorRef? _nodeActor;
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
        ActorFactory<RunActor>.Props(() => new RunActor(request, registry, startedAt, deadline, services, known));

    /// <summary>A node actor that throws is stopped, never restarted: its run has failed.</summary>
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
        _nodeActor = Context.Watch(Context.ActorOf(node.Props, "node"));
        _nodeActor.Tell(new RunNode(_request.Inputs, NodeContextFor()));
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
        if (_node!.OutputValidator.IsValid(outputs)) return RunResult.Succeeded(_request.NodeRunId, _startedAt, outputs);
        var errors = new List<SchemaError>();
        _node.OutputValidator.Validate(outputs, errors);
        _log.Warning("node {0} returned outputs violating its output_schema: {1}", _request.NodeTypeId,
            string.Join("; ", errors.Select(e => $"{e.Path} {e.Message}")));
        return Fail(RunErrorCodes.InvalidOutputs, "the handler's outputs do not match the node's output_schema",
            ErrorList(errors, "$.outputs"));
    }

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
        _log.Error(cause, "handler of {0} failed for node_run_id {1}", _request.NodeTypeId, _request.NodeRunId);
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
