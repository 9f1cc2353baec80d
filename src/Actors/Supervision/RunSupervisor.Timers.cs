using Akka.Actor;

namespace Jarvis.Actors.Supervision;

/// <summary>
/// Queue-wait limits and deadlines, one per active run, kept in one ordered set and checked on a tick while any is
/// set. A scheduler entry per run (Akka's cancelable once-timers) cost a CancellationTokenSource and three more
/// objects per run, and a canceled entry stayed in the scheduler's wheel (keeping its run alive) for up to one turn
/// of it: seconds, long enough to push every short run into the older GC generations. Here a finished run's timer
/// is gone the moment it is cleared. The tick has the scheduler's own resolution, so a timer fires as late as one
/// of Akka's did; it stops at the first tick that finds no timer set.
/// </summary>
public sealed partial class RunSupervisor
{
    private static readonly TimeSpan TickEvery = TimeSpan.FromMilliseconds(10);
    /// <summary>Longer than any setting allows; keeps the arithmetic clear of overflow.</summary>
    private static readonly long MaxDelayMs = (long)TimeSpan.FromDays(3650).TotalMilliseconds;

    private readonly SortedSet<ActiveRun> _timers = new(DueOrder.Instance);
    private ICancelable? _timersTick;

    private void SetTimer(ActiveRun run, TimeSpan delay)
    {
        ClearTimer(run);
        run.DueAt = Environment.TickCount64 + Math.Clamp((long)Math.Ceiling(delay.TotalMilliseconds), 0, MaxDelayMs);
        _timers.Add(run);
        _timersTick ??= Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(TickEvery, TickEvery, Self, TimersTick.Instance, Self);
    }

    private void ClearTimer(ActiveRun run)
    {
        if (run.DueAt == 0) return;
        _timers.Remove(run);
        run.DueAt = 0;
    }

    private void ExpireTimers()
    {
        var now = Environment.TickCount64;
        while (_timers.Min is { } first && first.DueAt <= now)
        {
            ClearTimer(first);
            OnTimerExpired(first);
        }
        StopTickingWhenIdle();
    }

    private void StopTickingWhenIdle()
    {
        if (_timers.Count > 0 || _timersTick is null) return;
        _timersTick.Cancel();
        _timersTick = null;
    }
}
