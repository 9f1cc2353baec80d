namespace Jarvis.Benchmarks;

/// <summary>Nearest-rank percentiles of latency samples in Stopwatch ticks.</summary>
public sealed class Percentiles
{
    private readonly long[] _sorted;

    public Percentiles(IEnumerable<long> ticks)
    {
        _sorted = ticks.ToArray();
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    public TimeSpan At(double percent)
    {
        if (_sorted.Length == 0) return TimeSpan.Zero;
        var rank = (int)Math.Ceiling(percent / 100 * _sorted.Length) - 1;
        return TimeSpan.FromSeconds(_sorted[Math.Clamp(rank, 0, _sorted.Length - 1)] / (double)System.Diagnostics.Stopwatch.Frequency);
    }

    public TimeSpan P50 => At(50);
    public TimeSpan P99 => At(99);
    public TimeSpan Max => At(100);
}
