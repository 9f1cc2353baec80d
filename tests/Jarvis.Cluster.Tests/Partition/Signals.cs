using System.Runtime.InteropServices;

namespace Jarvis.Cluster.Tests.Partition;

/// <summary>POSIX signals .NET has no API for.</summary>
internal static class Signals
{
    private const int SigTerm = 15;

    /// <summary>SIGTERM to <paramref name="pid"/> (ignored if it has already exited).</summary>
    public static void Terminate(int pid) => _ = Kill(pid, SigTerm);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
