namespace Jarvis.Benchmarks;

/// <summary>How much CPU other processes took while the benchmark ran: the machine's busy time (/proc/stat) minus the
/// driver's own and that of its finished children (/proc/self/stat utime, stime, cutime, cstime). Read after every child
/// has been reaped, so the servers and wrk are counted as the benchmark's own.</summary>
public sealed class MachineLoad
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly long _machineBusy = MachineBusyTicks();
    private readonly long _own = OwnTicks();
    private readonly DateTime _start = DateTime.UtcNow;

    public static string LoadAverage => File.ReadAllText("/proc/loadavg").Split(' ') is var f ? $"{f[0]} {f[1]} {f[2]}" : "?";

    /// <summary>Other processes' share of the machine's CPU capacity since this object was made (0..1).</summary>
    public double OthersShare()
    {
        var others = (MachineBusyTicks() - _machineBusy) - (OwnTicks() - _own);
        var capacity = (DateTime.UtcNow - _start).TotalSeconds * TicksPerSecond * Environment.ProcessorCount;
        return Math.Max(0, others / capacity);
    }

    private static long MachineBusyTicks()
    {
        // cpu  user nice system idle iowait irq softirq steal ...
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Take(8).Select(long.Parse).ToArray();
        return fields.Sum() - fields[3] - fields[4];
    }

    private static long OwnTicks()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // after "pid (comm) ": field 3 is fields[0]
        return long.Parse(fields[11]) + long.Parse(fields[12]) + long.Parse(fields[13]) + long.Parse(fields[14]);
    }
}
