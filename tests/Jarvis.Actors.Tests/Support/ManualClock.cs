namespace Jarvis.Actors.Tests.Support;

/// <summary>A <see cref="TimeProvider"/> whose time only moves when the test says so. Thread-safe.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly object _lock = new();
    private DateTimeOffset _now = start;

    public ManualClock() : this(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock) return _now;
    }

    public void Advance(TimeSpan by)
    {
        lock (_lock) _now += by;
    }
}
