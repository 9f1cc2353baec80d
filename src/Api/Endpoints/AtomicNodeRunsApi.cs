using System.Diagnostics;
using Akka.Actor;
using Akka.Hosting;
using Jarvis.Actors.Hosting;
using Jarvis.Actors.Supervision;
using Jarvis.Api.Auth;
using Jarvis.Api.Config;
using Jarvis.Api.Contract;
using Jarvis.Api.Contract.OpenApi;
using Jarvis.Api.Hosting;

namespace Jarvis.Api.Endpoints;

/// <summary>The ARP v1 Atomic Executor routes: execute and cancel.</summary>
public static class AtomicNodeRunsApi
{
    /// <summary>How long a cancel may take to reach its run before the caller is told to retry.</summary>
    private static readonly TimeSpan CancelTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How much longer than a run's queue wait plus deadline its caller waits before taking the answer as lost.</summary>
    private static readonly TimeSpan LostReplyMargin = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapAtomicNodeRunsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/atomic-node-runs:execute", ExecuteAsync)
            .WithName(OperationIds.Execute).WithTags("atomic_node_runs").WithSummary("Execute atomic NodeRun");
        app.MapPost("/v1/atomic-node-runs/{node_run_id}:cancel", CancelAsync)
            .WithName(OperationIds.Cancel).WithTags("atomic_node_runs").WithSummary("Cancel atomic NodeRun");
        return app;
    }

    private static async Task<IResult> ExecuteAsync(HttpContext http, IRequiredActor<NodeRuns> runs,
        ReplyPromises replies, ExecuteRequestReader reader, JarvisOptions options, ExecutorAvailability availability)
    {
        var (request, error) = await reader.ReadAsync(http.Request, http.RequestAborted);
        if (error is not null) return error;
        request = request! with { Caller = ArpAuthentication.CallerOf(http.User) };
        if (request.Trace == default && TraceOf(http) is { } parent) request = request with { Trace = parent };
        var span = Activity.Current is { IsAllDataRequested: true } server ? server : null; // null unless traces are exported
        span?.SetTag("arp.run_id", request.RunId).SetTag("arp.node_run_id", request.NodeRunId)
            .SetTag("arp.node_type_id", request.NodeTypeId);

        _ = request.Fingerprint; // hashed here, off the supervisor's thread
        // The supervisor answers every admitted run by its deadline; this timeout only guards against a lost message.
        var replyTimeout = options.Runs.QueueTimeout + options.Runs.DeadlineFor(request.MaxWallTime) + LostReplyMargin;
        // Checked again after the body was read: once the actor system stops under the service, a message sent now might
        // reach an actor that no longer answers. One sent before is answered by the actors as they stop (AbandonRuns).
        if (!availability.IsAvailable) return AvailabilityGate.Refuse(http, availability);
        ExecuteReply reply;
        try
        {
            reply = await replies.Send<ExecuteReply>(runs.ActorRef, new ExecuteRun(request)).WaitAsync(replyTimeout, http.RequestAborted);
        }
        catch (TimeoutException)
        {
            return ApiErrors.Unavailable(http, "executor_unavailable", "the executor did not answer in time; retry the request");
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty; // the caller left; its run goes on and its result is kept for a retry
        }
        if (span is not null) TagOutcome(span, reply);
        return reply switch
        {
            RunAnswered answered => new ExecuteResultResponse(answered.Result),
            RunRefused { Reason: RefusalReason.Conflict } refused =>
                ApiErrors.Result(StatusCodes.Status409Conflict, ErrorCodeOf(refused.Reason), refused.Message),
            RunRefused refused => ApiErrors.Unavailable(http, ErrorCodeOf(refused.Reason), refused.Message),
            _ => throw new UnreachableException($"unexpected reply {reply.GetType().Name}"),
        };
    }

    private static void TagOutcome(Activity span, ExecuteReply reply)
    {
        if (reply is RunAnswered { Result: var result })
        {
            span.SetTag("arp.state", Jarvis.Actors.Runs.RunStates.Name(result.State));
            if (result.Error is { } error) span.SetTag("arp.error_code", error.Code);
        }
        else if (reply is RunRefused refused)
            span.SetTag("arp.error_code", ErrorCodeOf(refused.Reason));
    }

    private static string ErrorCodeOf(RefusalReason reason) => reason switch
    {
        RefusalReason.Conflict => "node_run_conflict",
        RefusalReason.ShuttingDown => "shutting_down",
        RefusalReason.Unavailable => Jarvis.Actors.Sharding.RunGateway.UnavailableCode,
        _ => "overloaded",
    };

    /// <summary>The caller's trace when the body names none: the server span if one is recorded, else <c>traceparent</c>.</summary>
    private static ActivityContext? TraceOf(HttpContext http)
    {
        if (Activity.Current is { } server) return server.Context;
        return ActivityContext.TryParse(http.Request.Headers.TraceParent, http.Request.Headers.TraceState, true, out var parent)
            ? parent : null;
    }

    private const string RunsPrefix = "/v1/atomic-node-runs/";
    private const string CancelSuffix = ":cancel";

    private static async Task<IResult> CancelAsync(string node_run_id, HttpContext http, IRequiredActor<NodeRuns> runs,
        ExecutorAvailability availability)
    {
        if (!availability.IsAvailable) return AvailabilityGate.Refuse(http, availability);
        try
        {
            // Ask, not a ReplyPromise: in cluster mode the cancel is forwarded to the run's node, which answers this
            // sender directly, and only Ask's temporary actor can be reached from another node.
            await runs.ActorRef.Ask<CancelAccepted>(new CancelRun(NodeRunIdOf(http) ?? node_run_id), CancelTimeout, http.RequestAborted);
        }
        catch (AskTimeoutException)
        {
            return ApiErrors.Unavailable(http, "executor_unavailable", "the cancel did not reach its run in time; retry it");
        }
        catch (Jarvis.Actors.Sharding.OwnerUnreachableException unreachable)
        {
            return ApiErrors.Unavailable(http, "executor_unavailable", unreachable.Message);
        }
        return TypedResults.NoContent();
    }

    /// <summary>The id exactly as the caller encoded it: routing leaves <c>%2F</c> undecoded, so an id holding
    /// a '/' (e.g. <c>run/1/node/4</c>) would otherwise be canceled under the wrong name.</summary>
    private static string? NodeRunIdOf(HttpContext http)
    {
        var target = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        if (target is null) return null;
        var query = target.IndexOf('?');
        var path = query >= 0 ? target[..query] : target;
        if (!path.StartsWith(RunsPrefix, StringComparison.Ordinal) || !path.EndsWith(CancelSuffix, StringComparison.Ordinal)) return null;
        var encoded = path[RunsPrefix.Length..^CancelSuffix.Length];
        return encoded.Contains('/') ? null : Uri.UnescapeDataString(encoded);
    }
}
