namespace Jarvis.Actors.Runs;

/// <summary>Counts handlers that were abandoned (deadline, cancel, shutdown) and still had not returned
/// <see cref="Grace"/> later: they ignored their CancellationToken and still hold a thread or a socket.
/// The grace keeps a cooperative handler whose cancellation takes a moment (closing a socket) from counting.</summary>
public sealed class OrphanTracker(TimeSpan grace)
{
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(1);

    private long _current;
    private long _total;

    public OrphanTracker() : this(DefaultGrace) { }

    public TimeSpan Grace { get; } = grace;
    public long Current => Interlocked.Read(ref _current);
    public long Total => Interlocked.Read(ref _total);

    public void Track(Task handler)
    {
        if (!handler.IsCompleted) _ = CountIfStillRunningAsync(handler);
    }

    private async Task CountIfStillRunningAsync(Task handler)
    {
        if (await Task.WhenAny(handler, Task.Delay(Grace)).ConfigureAwait(false) == handler) return;
        Interlocked.Increment(ref _current);
        Interlocked.Increment(ref _total);
        await handler.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).ConfigureAwait(false);
        Interlocked.Decrement(ref _current);
    }
}
