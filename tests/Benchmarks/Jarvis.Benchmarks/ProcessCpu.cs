namespace Jarvis.Benchmarks;

/// <summary>CPU time (user + system) of running processes, from /proc/&lt;pid&gt;/stat; zero for a process that is gone.</summary>
public static class ProcessCpu
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    public static TimeSpan Time(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // after "pid (comm) ": field 3 is fields[0]
            return TimeSpan.FromSeconds((long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond);
        }
        catch (IOException) { return TimeSpan.Zero; }
    }

    /// <summary>The process and its descendants that are still running.</summary>
    public static TimeSpan TreeTime(int pid) => Time(pid) + Children(pid).Aggregate(TimeSpan.Zero, (sum, child) => sum + TreeTime(child));

    private static IEnumerable<int> Children(int pid)
    {
        try
        {
            return Directory.GetDirectories($"/proc/{pid}/task")
                .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(int.Parse).Distinct().ToList();
        }
        catch (IOException) { return []; }
        catch (UnauthorizedAccessException) { return []; }
    }
}
