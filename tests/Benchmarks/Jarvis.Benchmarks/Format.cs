using System.Globalization;

namespace Jarvis.Benchmarks;

/// <summary>How figures are written in the table.</summary>
public static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Ms(TimeSpan t) => t.TotalMilliseconds switch
    {
        >= 1000 => $"{t.TotalSeconds.ToString("0.00", Invariant)} s",
        >= 10 => $"{t.TotalMilliseconds.ToString("0", Invariant)} ms",
        _ => $"{t.TotalMilliseconds.ToString("0.00", Invariant)} ms",
    };

    public static string Count(double n) => n.ToString("#,0", Invariant);

    public static string Rate(double perSecond, string unit = "req/s") => $"{Count(perSecond)} {unit}";

    public static string Ratio(double r) => r.ToString("0.00", Invariant);

    public static string MiB(long bytes) => $"{(bytes / 1024.0 / 1024).ToString("0", Invariant)} MiB";

    public static string KiB(double bytes) => $"{(bytes / 1024).ToString("0.0", Invariant)} KiB";

    public static string Seconds(TimeSpan t) => $"{t.TotalSeconds.ToString("0.0", Invariant)} s";

    public static string Verdict(bool met) => met ? "met" : "**missed**";
}
