namespace Jarvis.Actors.Supervision;

/// <summary>The supervisor's limits, validated once at start.</summary>
/// <param name="MaxConcurrency">Handlers running at once; null means no cap.</param>
/// <param name="QueueTimeout">How long an admitted run may wait for a slot before it is refused as overloaded.</param>
/// <param name="MaxRememberedBytes">Bound on the estimated bytes of remembered results and early cancels.</param>
public sealed record RunSupervisorSettings(
    TimeSpan DefaultTimeout,
    int? MaxConcurrency,
    int MaxQueue,
    TimeSpan QueueTimeout,
    TimeSpan ResultTtl,
    int MaxRememberedRuns,
    long MaxRememberedBytes = RunSupervisorSettings.DefaultMaxRememberedBytes)
{
    public const long DefaultMaxRememberedBytes = 256L * 1024 * 1024;

    public static readonly RunSupervisorSettings Default = new(
        DefaultTimeout: TimeSpan.FromSeconds(300), MaxConcurrency: null, MaxQueue: 0,
        QueueTimeout: TimeSpan.FromSeconds(60), ResultTtl: TimeSpan.FromSeconds(300), MaxRememberedRuns: 100_000);

    /// <summary>The largest single result kept for replay: a sixteenth of the byte budget, so that one caller's huge
    /// outputs cannot push out every other caller's results at once.</summary>
    public long MaxRememberedResultBytes => MaxRememberedBytes / 16;

    /// <summary>The deadline of one run: the smaller of the default and the caller's max_wall_time_ms.</summary>
    public TimeSpan DeadlineFor(TimeSpan? maxWallTime) =>
        maxWallTime is { } requested && requested < DefaultTimeout ? requested : DefaultTimeout;
}
