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
    public int StartupSamples => Quick ? 2 : 5;

    public static BenchOptions Parse(string[] args, string repoRoot)
    {
        var quick = false;
        string? results = null, note = null, executor = null, bare = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--results": results = Value(args, ref i); break;
                case "--note": note = Value(args, ref i); break;
                case "--executor": executor = Value(args, ref i); break;
                case "--bare": bare = Value(args, ref i); break;
                default: throw new ArgumentException($"unknown option '{args[i]}' (known: --quick, --results PATH, --note TEXT, --executor PATH, --bare PATH)");
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
        };
    }

    private static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"option '{args[i - 1]}' needs a value");
}
