using System.Runtime.InteropServices;

namespace Jarvis.Benchmarks;

/// <summary>Open-file limit of the driver (which wrk and the servers inherit): each connection is a descriptor.</summary>
public static partial class FileLimit
{
    private const int NoFile = 7; // RLIMIT_NOFILE on Linux

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, in RLimit limit);

    /// <summary>Raises the soft limit up to the hard one if needed; fails when even the hard limit is too low.</summary>
    public static void EnsureAtLeast(int descriptors)
    {
        if (GetRLimit(NoFile, out var limit) != 0 || limit.Current >= (ulong)descriptors) return;
        var raised = limit with { Current = Math.Min(limit.Maximum, Math.Max((ulong)descriptors, limit.Current)) };
        if (raised.Current < (ulong)descriptors || SetRLimit(NoFile, raised) != 0)
            throw new InvalidOperationException(
                $"{descriptors} open files are needed but the limit is {limit.Current} (hard {limit.Maximum}); raise it (ulimit -n)");
    }
}
