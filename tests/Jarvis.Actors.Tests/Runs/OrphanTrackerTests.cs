using Jarvis.Actors.Runs;

namespace Jarvis.Actors.Tests.Runs;

public sealed class OrphanTrackerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_handler_that_returns_within_the_grace_is_not_an_orphan()
    {
        var tracker = new OrphanTracker(TimeSpan.FromSeconds(5));
        var handler = new TaskCompletionSource();

        tracker.Track(handler.Task);
        handler.SetResult();
        await Task.Yield();

        Assert.Equal(0, tracker.Current);
        Assert.Equal(0, tracker.Total);
    }

    [Fact]
    public async Task A_handler_still_running_after_the_grace_is_counted_until_it_returns()
    {
        var tracker = new OrphanTracker(TimeSpan.FromMilliseconds(50));
        var handler = new TaskCompletionSource();

        tracker.Track(handler.Task);
        await Until(() => tracker.Current == 1);
        Assert.Equal(1, tracker.Total);

        handler.SetResult();
        await Until(() => tracker.Current == 0);
        Assert.Equal(1, tracker.Total);
    }

    private static async Task Until(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition()) await Task.Delay(10, timeout.Token);
    }
}
