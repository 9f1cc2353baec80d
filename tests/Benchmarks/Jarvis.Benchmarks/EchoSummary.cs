namespace Jarvis.Benchmarks;

/// <summary>One echo setup over its rounds: the medians of its windows, and where its runs went over all of them.</summary>
public sealed record EchoSummary(IReadOnlyList<EchoWindow> Windows)
{
    public int Rounds => Windows.Count;
    public double RequestsPerSecond => Median.Of(Windows.Select(w => w.RequestsPerSecond));
    public TimeSpan P50 => Median.Of(Windows.Select(w => w.Wrk.P50));
    public TimeSpan P99 => Median.Of(Windows.Select(w => w.Wrk.P99));
    public double CpuMsPerRequest => Median.Of(Windows.Select(w => w.CpuMsPerRequest));
    public double ExecutorCores => Median.Of(Windows.Select(w => w.ExecutorCores));
    public double NginxCores => Median.Of(Windows.Select(w => w.NginxCores));

    /// <summary>The share of runs whose shard another instance owned, over every window; null with cluster mode off or
    /// when no run was counted.</summary>
    public double? RemoteShare
    {
        get
        {
            var routed = Windows.Where(w => w.Routed is not null).Aggregate(new RoutedCounts(0, 0), (sum, w) => sum + w.Routed!.Value);
            var total = routed.Local + routed.Remote;
            return total > 0 ? routed.Remote / total : null;
        }
    }

    public bool Clustered => Windows.Any(w => w.Routed is not null);

    /// <summary>The median over the rounds both setups ran of <paramref name="figure"/>(this) ÷ <paramref name="figure"/>(other):
    /// each ratio compares windows measured seconds apart. NaN when no round has both.</summary>
    public (double Median, IReadOnlyList<double> PerRound) RatioTo(EchoSummary other, Func<EchoWindow, double> figure)
    {
        var ratios = Windows.Join(other.Windows, w => w.Round, w => w.Round, (mine, theirs) => figure(mine) / figure(theirs)).ToList();
        return (Median.Of(ratios), ratios);
    }
}
