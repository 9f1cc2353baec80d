namespace Jarvis.Benchmarks;

/// <summary>Command-line options; <c>--quick</c> shortens every phase to a smoke check.</summary>
public sealed record BenchOptions
{
    public bool Quick { get; init; }
    public required string ExecutorPath { get; init; }
    public required string BareEndpointPath { get; init; }
    /// <summary>Where the table is written; null leaves RESULTS.md alone (the default of a quick run).</summary>
    public string? ResultsPath { get; init; }
    public string? Note { get; init; }
    /// <summary>The single-instance rows 1–7 (<c>--only single</c> leaves out the cluster rows).</summary>
    public bool RunSingle { get; init; } = true;
    /// <summary>The cluster rows (<c>--only cluster</c> leaves out rows 1–7).</summary>
    public bool RunCluster { get; init; } = true;
    /// <summary>The short commit the servers were built from, with a mark when src/ or hocon/ had uncommitted changes.</summary>
    public string Commit { get; init; } = "unknown";

    /// <summary>Tiered JIT keeps recompiling hot code for 15–20 s under load (measured: 13 % of the executor's CPU
    /// still in the JIT after 6 s, none after 25 s); shorter warm-ups measure the compiler, not the service.</summary>
    public TimeSpan WarmUp => Quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(20);
    public TimeSpan ThroughputDuration => Quick ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(15);
    public int EchoConnections => 64;
    public int WrkThreads => 2;
    public int SleepConnections => Quick ? 1_000 : 10_000;
    public double SleepSeconds => 2;
    /// <summary>An odd number of seconds, so the last round of 2 s runs is not cut in half by wrk's stop.</summary>
    public TimeSpan SleepDuration => Quick ? TimeSpan.FromSeconds(7) : TimeSpan.FromSeconds(21);
    public int Cancels => 1_000;
    /// <summary>Row 7: 1 MB results, enough of them to fill the default 256 MiB budget twice over.</summary>
    public int LargeResultRuns => Quick ? 100 : 600;
    public int StartupSamples => Quick ? 2 : 5;
    public int ClusterSize => 3;
    /// <summary>The cluster echo rows measure every setup once per round, in a rotated order, so that a machine whose
    /// speed drifts between minutes slows all of them alike; the rows give the medians over the rounds.</summary>
    public int ClusterRounds => Quick ? 2 : 5;
    /// <summary>One setup's measured wrk run within a round (whole seconds: wrk's -d).</summary>
    public TimeSpan RoundWindow => Quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(5);
    public TimeSpan HopWarmUp => Quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(5);
    public TimeSpan HopDuration => Quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(15);
    /// <summary>Row C6: plain and TLS windows alternate, this many rounds of this long each.</summary>
    public int TlsHopRounds => Quick ? 2 : 7;
    public TimeSpan TlsHopWindow => Quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(4);
    /// <summary>nginx in front of the sleep soak of row C4: one proxied run holds a client and an upstream descriptor,
    /// so 10,000 in flight need 20,000 in one worker, more than a hard limit of 20,000 open files leaves (a driver
    /// without CAP_SYS_RESOURCE cannot raise it, even as root); two workers (reuseport) need half of that each.</summary>
    public int SoakNginxWorkers => 2;

    public static BenchOptions Parse(string[] args, string repoRoot)
    {
        var quick = false;
        string? results = null, note = null, executor = null, bare = null, only = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--results": results = Value(args, ref i); break;
                case "--note": note = Value(args, ref i); break;
                case "--executor": executor = Value(args, ref i); break;
                case "--bare": bare = Value(args, ref i); break;
                case "--only":
                    only = Value(args, ref i);
                    if (only is not ("single" or "cluster")) throw new ArgumentException($"--only takes 'single' (rows 1–7) or 'cluster' (the cluster rows), not '{only}'");
                    break;
                default: throw new ArgumentException($"unknown option '{args[i]}' (known: --quick, --only single|cluster, --results PATH, --note TEXT, --executor PATH, --bare PATH)");
            }
        }
        var bin = Path.Combine("bin", "Release", "net10.0");
        return new BenchOptions
        {
            Quick = quick,
            ExecutorPath = executor ?? Path.Combine(repoRoot, "src", "Api", bin, "jarvis-atomic-executor"),
            BareEndpointPath = bare ?? Path.Combine(repoRoot, "tests", "Benchmarks", "Jarvis.Benchmarks.BareEndpoint", bin, "Jarvis.Benchmarks.BareEndpoint"),
            ResultsPath = results ?? (quick ? null : Path.Combine(repoRoot, "tests", "Benchmarks", "RESULTS.md")),
            Note = note,
            RunSingle = only is null or "single",
            RunCluster = only is null or "cluster",
            Commit = GitCommit(repoRoot),
        };
    }

    /// <summary><c>git rev-parse --short HEAD</c>, marked when what the servers are built from (src/, hocon/, the
    /// build properties) differs from it; "unknown" without git.</summary>
    private static string GitCommit(string repoRoot)
    {
        var head = Git(repoRoot, "rev-parse", "--short", "HEAD");
        if (head is null) return "unknown";
        var dirty = Git(repoRoot, "status", "--porcelain", "--", "src", "hocon", "Directory.Build.props", "Directory.Packages.props");
        return dirty is { Length: > 0 } ? $"{head} + uncommitted changes in src/ or hocon/" : head;
    }

    private static string? Git(string repoRoot, params string[] args)
    {
        try
        {
            var info = new System.Diagnostics.ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add("-C");
            info.ArgumentList.Add(repoRoot);
            foreach (var arg in args) info.ArgumentList.Add(arg);
            using var git = System.Diagnostics.Process.Start(info)!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; } // no git
    }

    private static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"option '{args[i - 1]}' needs a value");
}
