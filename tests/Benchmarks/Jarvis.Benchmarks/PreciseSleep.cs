using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Jarvis.Benchmarks;

/// <summary>Sleeps to within tens of microseconds (nanosleep), where Thread.Sleep and timers wake on a millisecond grid:
/// at thousands of requests per second a millisecond of send jitter would be counted as server latency.</summary>
public static partial class PreciseSleep
{
    private const int ClockMonotonic = 1;
    private const int Interrupted = 4; // EINTR

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, ref TimeSpec request, out TimeSpec remaining);

    /// <summary>Blocks the calling thread until <paramref name="timestamp"/> (a Stopwatch timestamp) has passed.</summary>
    public static void Until(long timestamp)
    {
        var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        if (remaining <= TimeSpan.Zero) return;
        if (!OperatingSystem.IsLinux())
        {
            Thread.Sleep(remaining);
            return;
        }
        var ticks = remaining.Ticks; // 100 ns
        var request = new TimeSpec { Seconds = ticks / TimeSpan.TicksPerSecond, Nanoseconds = ticks % TimeSpan.TicksPerSecond * 100 };
        while (ClockNanosleep(ClockMonotonic, 0, ref request, out var left) == Interrupted) request = left;
    }
}
