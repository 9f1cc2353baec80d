namespace Jarvis.Benchmarks;

public static class Median
{
    /// <summary>The middle value (the mean of the two middle ones for an even count); NaN when there is none.</summary>
    public static double Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public static TimeSpan Of(IEnumerable<TimeSpan> values) => TimeSpan.FromTicks((long)Of(values.Select(v => (double)v.Ticks)));
}
