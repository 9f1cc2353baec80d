namespace Jarvis.Benchmarks;

/// <summary>One setup's measured wrk run in one round: what wrk saw, and the CPU (user + system) its executors and its
/// nginx used during that run; for a cluster, where the runs went.</summary>
public sealed record EchoWindow(int Round, WrkResult Wrk, TimeSpan ExecutorCpu, TimeSpan NginxCpu, RoutedCounts? Routed)
{
    public double RequestsPerSecond => Wrk.RequestsPerSecond;

    /// <summary>Executor CPU milliseconds per request (all the setup's executors together; nginx not included).</summary>
    public double CpuMsPerRequest => ExecutorCpu.TotalMilliseconds / Wrk.Requests;

    public double ExecutorCores => ExecutorCpu.TotalSeconds / Wrk.Duration.TotalSeconds;
    public double NginxCores => NginxCpu.TotalSeconds / Wrk.Duration.TotalSeconds;
}
