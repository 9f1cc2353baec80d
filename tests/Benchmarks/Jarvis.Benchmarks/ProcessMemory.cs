namespace Jarvis.Benchmarks;

/// <summary>Resident memory of a live process, from /proc/&lt;pid&gt;/status.</summary>
public static class ProcessMemory
{
    /// <summary>Resident set size now, in bytes.</summary>
    public static long Rss(int pid) => Field(pid, "VmRSS:");

    /// <summary>Peak resident set size since the process started ("high water mark"), in bytes.</summary>
    public static long PeakRss(int pid) => Field(pid, "VmHWM:");

    private static long Field(int pid, string name)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal)) continue;
            var kib = line[name.Length..].Trim().Split(' ')[0];
            return long.Parse(kib) * 1024;
        }
        throw new InvalidOperationException($"/proc/{pid}/status has no {name}");
    }
}
