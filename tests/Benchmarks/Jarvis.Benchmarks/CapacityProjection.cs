namespace Jarvis.Benchmarks;

/// <summary>Row C5: what 1, 3 and 10 machines of this size would serve, projected from the executor CPU per request
/// the echo rows measured: capacity ≈ machines × cores ÷ CPU per request. One machine runs one executor with cluster
/// mode off (S1's figure); a cluster uses C3's figure, whose runs are two thirds remote. With 10 machines nine tenths
/// are, so a second figure scales C3's extra cost per remote run over the all-local one-node cluster (C1) to 9/10.</summary>
public static class CapacityProjection
{
    public static ReportRow? Row(EchoSummary? s1, EchoSummary? c1, EchoSummary? c3)
    {
        if (s1 is null || c3 is null) return null;
        double Capacity(int machines, double cpuMs) => machines * MachineInfo.Cores * 1000 / cpuMs;
        var ten = $"10 machines {Format.Rate(Capacity(10, c3.CpuMsPerRequest))}";
        if (c1 is not null && c3.RemoteShare is { } remote && remote > 0)
        {
            var perRemoteRun = (c3.CpuMsPerRequest - c1.CpuMsPerRequest) / remote;
            var tenMachineCpu = c1.CpuMsPerRequest + 0.9 * perRemoteRun;
            ten += $" ({Format.Rate(Capacity(10, tenMachineCpu))} with 9/10 of the runs remote: C1's {c1.CpuMsPerRequest:0.000} ms + " +
                   $"0.9 × {perRemoteRun:0.000} ms, the extra per remote run (C3 − C1) ÷ C3's remote share {remote * 100:0}%)";
        }
        return new ReportRow("C5",
            $"projected capacity of machines like this one ({MachineInfo.Cores} cores): machines × cores ÷ executor CPU per request, " +
            "the medians above (1 machine: S1; 3 and 10 machines: C3). Ignores the balancer's CPU (nginx's cores in the rows above), " +
            "network latency and bandwidth between machines (here all is loopback), head-room (no machine runs at 100 %), and that C3's " +
            $"figure includes three executors contending for the same {MachineInfo.Cores} cores",
            $"1 machine {Format.Rate(Capacity(1, s1.CpuMsPerRequest))} ({s1.CpuMsPerRequest:0.000} ms per request) · " +
            $"3 machines {Format.Rate(Capacity(3, c3.CpuMsPerRequest))} ({c3.CpuMsPerRequest:0.000} ms per request) · {ten}");
    }
}
