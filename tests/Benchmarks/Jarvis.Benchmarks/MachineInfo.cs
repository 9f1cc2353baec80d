using System.Runtime.InteropServices;

namespace Jarvis.Benchmarks;

/// <summary>What the figures were measured on.</summary>
public static class MachineInfo
{
    public static int Cores => Environment.ProcessorCount;

    public static string CpuModel =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        ?? "unknown CPU";

    public static string MemoryGiB
    {
        get
        {
            var kib = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return $"{long.Parse(kib) / 1024.0 / 1024:0.#} GiB";
        }
    }

    public static string Os => $"{RuntimeInformation.OSDescription}, .NET {Environment.Version}";
}
