using System.Collections.Concurrent;
using System.Diagnostics;

namespace Jarvis.Benchmarks;

/// <summary>Every process the benchmark starts, so that all of them are killed however the driver ends
/// (normal end, failure, Ctrl-C, SIGTERM).</summary>
public static class ChildProcesses
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    public static Process Start(ProcessStartInfo info)
    {
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
        Running[process.Id] = process;
        return process;
    }

    public static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException) { } // already gone
        Running.TryRemove(process.Id, out _);
    }

    public static void StopAll()
    {
        foreach (var process in Running.Values) Stop(process);
    }
}
