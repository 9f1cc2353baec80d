namespace Jarvis.Actors.Runs;

/// <summary>Counts handlers that were abandoned (deadline, cancel, shutdown) but have not returned yet:
/// they ignored their CancellationToken and still hold a thread or a socket.</summary>
public sealed class OrphanTracker
{
    private long _current;
    private long _total;

    public long Current => Interlocked.Read(ref _current);
    public long Total => Interlocked.Read(ref _total);

    public void Track(Task handler)
    {
        if (handler.IsCompleted) return;
        Interlocked.Increment(ref _current);
        Interlocked.Increment(ref _total);
        handler.ContinueWith(static (_, self) => Interlocked.Decrement(ref ((OrphanTracker)self!)._current), this,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
