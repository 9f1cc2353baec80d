using Akka.Actor;
using Jarvis.Actors.Runs;

namespace Jarvis.Actors.Supervision;

/// <summary>
/// Owns every run of this node: admission (cap and FIFO queue), dedupe by node_run_id, one child
/// <see cref="RunActor"/> per running run, deadlines, cancel, stored results and drain at shutdown.
/// Deadline and cancel answers are produced here, so they go out on time whatever the handler does.
/// </summary>
public sealed partial class RunSupervisor : ReceiveActor
{
    private readonly RunSupervisorSettings _settings;
    private readonly IActorRef _registry;
    private readonly IRunObserver _observer;
    private readonly IServiceProvider? _services;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, ActiveRun> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, ActiveRun> _byChild = new();
    /// <summary>Node types the registry has resolved for earlier runs; bounded by the installed node count.</summary>
    private readonly Dictionary<string, Registry.NodeRegistration> _knownNodeTypes = new(StringComparer.Ordinal);
    private readonly LinkedList<ActiveRun> _queue = new();
    private readonly RememberedRuns _remembered;
    private readonly ICancelable _purgeTimer;
    private int _running;
    private long _childSequence;
    private long _admissions;
    private readonly List<IActorRef> _drainRequesters = [];
    private bool _draining;
    /// <summary>A drain was asked for (SIGTERM): runs still going when this actor stops are canceled.</summary>
    private bool _drainBegun;
    /// <summary>Set by <see cref="AbandonRuns"/>: why this node can no longer run anything.</summary>
    private string? _abandoned;

    public RunSupervisor(RunSupervisorSettings settings, IActorRef registry, IRunObserver observer,
        IServiceProvider? services, TimeProvider clock)
    {
        _settings = settings;
        _registry = registry;
        _observer = observer;
        _services = services;
        _clock = clock;
        RunMailbox.Register(Context.System);
        _remembered = new RememberedRuns(settings, clock);
        var purgeEvery = TimeSpan.FromSeconds(Math.Clamp(settings.ResultTtl.TotalSeconds / 4, 1, 60));
        _purgeTimer = Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(purgeEvery, purgeEvery, Self, PurgeExpired.Instance, Self);

        Receive<ExecuteRun>(msg => Execute(msg.Request, new RunWaiter(Sender)));
        Receive<HomedExecute>(msg => Execute(msg.Request, new RunWaiter(msg.ReplyTo, msg.Correlation, Sender)));
        Receive<CancelRun>(msg => Cancel(msg.NodeRunId));
        Receive<RunFinished>(msg => OnRunFinished(msg.Result));
        Receive<NodeTypeLearned>(msg => _knownNodeTypes[msg.NodeTypeId] = msg.Registration);
        Receive<TimersTick>(_ => ExpireTimers());
        Receive<RunCrashed>(msg => OnRunCrashed(msg.RunActor));
        Receive<BeginDrain>(msg => BeginDraining(msg.Grace));
        Receive<DrainGraceOver>(_ => CancelAllRunning("the executor is shutting down"));
        Receive<AbandonRuns>(msg => AbandonAll(msg.Reason));
        Receive<GetLoad>(_ => Sender.Tell(new Load(_running, _queue.Count, Draining)));
        Receive<PurgeExpired>(_ =>
        {
            _remembered.PurgeExpired();
            ReportRemembered();
        });
    }

    public static Props Props(RunSupervisorSettings settings, IActorRef registry, IRunObserver? observer = null,
        IServiceProvider? services = null, TimeProvider? clock = null) =>
        Akka.Actor.Props.Create(() => new RunSupervisor(settings, registry, observer ?? NullRunObserver.Instance, services,
            clock ?? TimeProvider.System));

    private bool Draining => _draining;

    /// <summary>A run actor that throws is stopped, never restarted, and its run fails. Run actors are not watched
    /// (a watch costs two system messages and bookkeeping per run): the strategy reports the crash instead.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new StopAndReportStrategy(Self);

    /// <summary>Stopped during a drain (SIGTERM): the runs left are canceled, as the drain promised. Stopped without one
    /// (the actor system went away under the service): they are abandoned, their callers refused as unavailable and
    /// free to retry, since nobody asked for them to end.</summary>
    protected override void PostStop()
    {
        _purgeTimer.Cancel();
        _timersTick?.Cancel();
        if (!_drainBegun)
        {
            AbandonAll("the executor stopped");
            return;
        }
        _draining = true; // nothing new may start while the last runs are answered
        foreach (var run in _active.Values.ToList())
            Complete(run, RunResult.Canceled(run.Request.NodeRunId, run.StartedAt ?? Now, "the executor stopped"));
    }

    private DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>Joins, replays and early cancels are answered even while draining: they start no new work.</summary>
    private void Execute(RunRequest request, RunWaiter waiter)
    {
        _ = request.Fingerprint; // fixed before any handler can touch the inputs (normally already done by the caller)
        if (_active.TryGetValue(request.NodeRunId, out var live))
        {
            if (live.Request.Fingerprint != request.Fingerprint) RefuseConflict(waiter, request);
            else live.Waiters.Add(waiter);
            return;
        }
        if (_remembered.TryGet(request.NodeRunId, out var remembered))
        {
            if (remembered is StoredRun stored)
            {
                if (stored.Fingerprint != request.Fingerprint) RefuseConflict(waiter, request);
                else waiter.Answer(new RunAnswered(stored.Result));
                return;
            }
            var canceled = RunResult.Canceled(request.NodeRunId, ((CanceledEarly)remembered).At, "the run was canceled before it was executed");
            Remember(request, canceled); // in place of the early cancel
            _observer.RunFinished(request, canceled, TimeSpan.Zero);
            waiter.Answer(new RunAnswered(canceled));
            return;
        }
        Admit(request, waiter);
    }

    private void Admit(RunRequest request, RunWaiter waiter)
    {
        if (_abandoned is not null)
        {
            Refuse(waiter, request, RefusalReason.Unavailable, _abandoned);
            return;
        }
        if (Draining)
        {
            Refuse(waiter, request, RefusalReason.ShuttingDown, "the executor is shutting down; retry on another instance");
            return;
        }
        var run = new ActiveRun(request, Now, ++_admissions) { Deadline = _settings.DeadlineFor(request.MaxWallTime) };
        run.Waiters.Add(waiter);
        if (_settings.MaxConcurrency is not { } cap || _running < cap)
        {
            _active[request.NodeRunId] = run;
            Start(run, run.AdmittedAt);
        }
        else if (_queue.Count < _settings.MaxQueue)
        {
            _active[request.NodeRunId] = run;
            run.QueueNode = _queue.AddLast(run);
            SetTimer(run, _settings.QueueTimeout < run.Deadline ? _settings.QueueTimeout : run.Deadline);
        }
        else
        {
            Refuse(waiter, request, RefusalReason.Overloaded,
                $"the executor is at its concurrency cap ({cap}) and its queue ({_settings.MaxQueue}) is full");
            return;
        }
        ReportLoad();
    }

    /// <summary>Starts a run with what is left of its deadline, which runs from admission: time spent queued counts.</summary>
    private void Start(ActiveRun run, DateTimeOffset now)
    {
        run.StartedAt = now;
        var endsAt = run.AdmittedAt + run.Deadline;
        run.Activity = RunTracing.Start(run.Request);
        var child = Context.ActorOf(
            RunActor.Props(run.Activity is { } activity ? run.Request with { Trace = activity.Context } : run.Request, _registry,
                run.StartedAt.Value, endsAt, _services, _knownNodeTypes.GetValueOrDefault(run.Request.NodeTypeId)),
            ChildName(run.Request.NodeRunId));
        run.Child = child;
        _byChild[child] = run;
        _running++;
        SetTimer(run, endsAt - run.StartedAt.Value);
        _observer.RunStarted(run.Request, run.StartedAt.Value - run.AdmittedAt);
    }

    private string ChildName(string nodeRunId)
    {
        var name = Uri.EscapeDataString(nodeRunId);
        var usable = name.Length is > 0 and <= 200 && name[0] != '$' && ActorPath.IsValidPathElement(name) &&
                     Context.Child(name).IsNobody();
        return usable ? name : $"run-{++_childSequence}";
    }

    /// <summary>Starts queued runs while slots are free; one whose deadline passed before its timer fired is answered
    /// as timed out instead (the timer ticks every 10 ms), so no run starts after its deadline.</summary>
    private void StartQueued()
    {
        List<ActiveRun>? late = null;
        while (!Draining && _queue.First is { Value: var next } && (_settings.MaxConcurrency is not { } cap || _running < cap))
        {
            _queue.RemoveFirst();
            next.QueueNode = null;
            ClearTimer(next);
            if (Now >= next.AdmittedAt + next.Deadline) (late ??= []).Add(next);
            else Start(next, Now);
        }
        foreach (var run in late ?? []) Complete(run, TimedOutWhileQueued(run));
    }

    private static RunResult TimedOutWhileQueued(ActiveRun run) =>
        RunResult.TimedOut(run.Request.NodeRunId, run.AdmittedAt, run.Deadline, "while it waited for a free slot");

    private void OnRunFinished(RunResult result)
    {
        if (_byChild.TryGetValue(Sender, out var run)) Complete(run, result);
    }

    private void OnTimerExpired(ActiveRun run)
    {
        if (run.QueueNode is null)
        {
            if (run.StartedAt is { } started) Complete(run, RunResult.TimedOut(run.Request.NodeRunId, started, run.Deadline));
            return;
        }
        if (run.Deadline <= _settings.QueueTimeout)
        {
            // Its deadline passed while it waited for a slot: answered like any run out of time, and never started.
            Complete(run, TimedOutWhileQueued(run));
            return;
        }
        Withdraw(run);
        var message = $"the run waited {_settings.QueueTimeout.TotalMilliseconds:0} ms for a free slot; retry later";
        foreach (var waiter in run.Waiters) Refuse(waiter, run.Request, RefusalReason.Overloaded, message);
    }

    private void OnRunCrashed(IActorRef child)
    {
        if (_byChild.TryGetValue(child, out var run))
            Complete(run, RunResult.Failed(run.Request.NodeRunId, run.StartedAt ?? Now,
                new RunError(RunErrorCodes.HandlerError, "the run stopped unexpectedly; see the executor's logs for details")));
    }

    private void Cancel(string nodeRunId)
    {
        if (_active.TryGetValue(nodeRunId, out var run))
            Complete(run, RunResult.Canceled(nodeRunId, run.StartedAt ?? Now, "the run was canceled"));
        else if (!_remembered.TryGet(nodeRunId, out _))
        {
            _remembered.RememberCancel(nodeRunId, Now);
            ReportRemembered();
        }
        Sender.Tell(CancelAccepted.Instance);
    }

    /// <param name="answer">What its callers get; the result itself unless given (an abandoned run's refusal).</param>
    private void Complete(ActiveRun run, RunResult result, ExecuteReply? answer = null)
    {
        // Trace and metrics first, so a caller holding the answer already finds the run in them.
        RunTracing.Stop(run.Activity, result);
        _observer.RunFinished(run.Request, result, (run.StartedAt ?? Now) - run.AdmittedAt);
        // Answer before withdrawing: withdrawing the last run of a drain sends Drained, which must come after this answer.
        answer ??= new RunAnswered(result);
        foreach (var waiter in run.Waiters) waiter.Answer(answer);
        Withdraw(run);
        if (!result.IsRetryable) Remember(run.Request, result);
    }

    /// <summary>Takes a run out of every structure (queue, running set, timers) and stops its actor.</summary>
    private void Withdraw(ActiveRun run)
    {
        _active.Remove(run.Request.NodeRunId);
        ClearTimer(run);
        if (run.QueueNode is not null)
        {
            _queue.Remove(run.QueueNode);
            run.QueueNode = null;
        }
        if (run.Child is { } child)
        {
            _byChild.Remove(child);
            Context.Stop(child);
            run.Child = null;
            _running--;
        }
        StartQueued();
        ReportLoad();
        ReportDrainedWhenEmpty();
    }

    private void ReportDrainedWhenEmpty()
    {
        if (!Draining || _active.Count > 0) return;
        foreach (var requester in _drainRequesters) requester.Tell(Drained.Instance);
        _drainRequesters.Clear();
    }

    private void BeginDraining(TimeSpan grace)
    {
        _drainBegun = true;
        _drainRequesters.Add(Sender);
        if (Draining)
        {
            ReportDrainedWhenEmpty();
            return; // the first request's grace timer already runs
        }
        _draining = true;
        foreach (var queued in _queue.ToList())
        {
            foreach (var waiter in queued.Waiters)
                Refuse(waiter, queued.Request, RefusalReason.ShuttingDown, "the executor is shutting down; retry on another instance");
            Withdraw(queued);
        }
        ReportDrainedWhenEmpty();
        if (_active.Count > 0) Schedule(grace, DrainGraceOver.Instance);
    }

    private void CancelAllRunning(string reason)
    {
        foreach (var run in _active.Values.ToList())
            Complete(run, RunResult.Canceled(run.Request.NodeRunId, run.StartedAt ?? Now, reason));
    }

    /// <summary>Stops every run at once (their handlers are canceled with their actors) and refuses their callers as
    /// unavailable: the run did not finish here and may run again elsewhere. Logged and counted as a retryable failure,
    /// never remembered.</summary>
    private void AbandonAll(string reason)
    {
        _abandoned ??= $"this executor can no longer run anything ({reason}); retry the request on another instance";
        _draining = true;
        var refusal = new RunRefused(RefusalReason.Unavailable, _abandoned);
        foreach (var run in _active.Values.ToList())
            Complete(run, RunResult.Failed(run.Request.NodeRunId, run.StartedAt ?? Now,
                new RunError(RunErrorCodes.ExecutorUnavailable, _abandoned, Retryable: true)), refusal);
    }

    private void Remember(RunRequest request, RunResult result)
    {
        _remembered.RememberResult(request.NodeRunId, request.Fingerprint, result);
        ReportRemembered();
    }

    private void ReportRemembered() => _observer.RememberedChanged(_remembered.Count, _remembered.Bytes);

    private void RefuseConflict(RunWaiter waiter, RunRequest request) => Refuse(waiter, request, RefusalReason.Conflict,
        $"node_run_id '{request.NodeRunId}' is already in use with a different node_type_ref or inputs");

    private void Refuse(RunWaiter waiter, RunRequest request, RefusalReason reason, string message)
    {
        waiter.Answer(new RunRefused(reason, message));
        _observer.RunRefused(request, reason);
    }


    private ICancelable Schedule(TimeSpan delay, object message) =>
        Context.System.Scheduler.ScheduleTellOnceCancelable(delay, Self, message, Self);

    private void ReportLoad() => _observer.LoadChanged(_running, _queue.Count);
}
